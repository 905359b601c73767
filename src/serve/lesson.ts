/**
 * The lesson's table (fixtures/obesity.csv), shipped inside the package so
 * that `neuron playground` with no data has rows to show.
 * test/unit/serve.test.ts checks it is the fixture byte for byte.
 */

/** The lesson's CSV text. */
export const LESSON_CSV =
  'Height (in feet),Weight (in kgs),Condition\n4,80,Obese\n5.5,60,Not Obese\n6,70,Not Obese\n5,95,Obese\n4.5,45,Not Obese\n5.8,110,Obese\n6.2,85,Not Obese\n5.2,50,Not Obese\n4.8,90,Obese\n5.9,120,Obese\n6.1,75,Not Obese\n5,55,Not Obese\n5.4,100,Obese\n4.9,62,Not Obese\n';

/** How the lesson's table is named on the page and in messages. */
export const LESSON_NAME = 'the lesson’s table';

/** Its label column. */
export const LESSON_LABEL = 'Condition';
