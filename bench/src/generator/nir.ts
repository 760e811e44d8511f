// French NIR (social security number) literals for the generated seed files: valid ones (planted
// `hardcoded-health-identifier`) and ones with a wrong key (false friends the rule must ignore).
import type { SeededRandom } from '../../../test/support/random';

/** A 13-digit NIR body: sex, year, month, department, commune, order number. */
function nirBody(random: SeededRandom): string {
  const sex = random.pick(['1', '2']);
  const year = String(random.int(40, 99));
  const month = String(random.int(1, 12)).padStart(2, '0');
  const department = String(random.int(1, 95)).padStart(2, '0');
  const commune = String(random.int(1, 990)).padStart(3, '0');
  const order = String(random.int(1, 999)).padStart(3, '0');
  return `${sex}${year}${month}${department}${commune}${order}`;
}

function nirKey(body: string): number {
  return 97 - Number(BigInt(body) % 97n);
}

/** A valid NIR with spaces, as people paste them: `2 84 05 75 112 233 41`. */
export function validNir(random: SeededRandom): string {
  const body = nirBody(random);
  return spaced(body, nirKey(body));
}

/** The same shape with a key that does not check: not an identifier, must not fire. */
export function invalidNir(random: SeededRandom): string {
  const body = nirBody(random);
  const wrong = (nirKey(body) % 97) + 1;
  return spaced(body, wrong === nirKey(body) ? wrong + 1 : wrong);
}

function spaced(body: string, key: number): string {
  return `${body[0]} ${body.slice(1, 3)} ${body.slice(3, 5)} ${body.slice(5, 7)} ${body.slice(7, 10)} ${body.slice(10, 13)} ${String(key).padStart(2, '0')}`;
}
