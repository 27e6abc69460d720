/** US zone names V8 reads itself; these others appear in feeds too (KST on Korean sites). */
const ZONES: Record<string, string> = {
  BST: '+0100', CET: '+0100', CEST: '+0200', EET: '+0200', EEST: '+0300', MSK: '+0300',
  IST: '+0530', SGT: '+0800', HKT: '+0800', AWST: '+0800', JST: '+0900', KST: '+0900',
  AEST: '+1000', AEDT: '+1100', NZST: '+1200', NZDT: '+1300',
};

/** Month abbreviations of Portuguese, Spanish, Italian, German and French feeds ("Seg, 24 Set 2018"). */
const MONTHS: Record<string, string> = {
  jan: 'Jan', janv: 'Jan', ene: 'Jan', gen: 'Jan',
  fev: 'Feb', feb: 'Feb', févr: 'Feb', fevr: 'Feb',
  mar: 'Mar', mär: 'Mar', mrz: 'Mar', mars: 'Mar',
  abr: 'Apr', apr: 'Apr', avr: 'Apr',
  mai: 'May', may: 'May', mag: 'May',
  jun: 'Jun', giu: 'Jun', juin: 'Jun',
  jul: 'Jul', lug: 'Jul', juil: 'Jul',
  ago: 'Aug', aug: 'Aug', août: 'Aug', aout: 'Aug',
  set: 'Sep', sep: 'Sep', sept: 'Sep',
  out: 'Oct', oct: 'Oct', okt: 'Oct', ott: 'Oct',
  nov: 'Nov',
  dez: 'Dec', dic: 'Dec', déc: 'Dec', dec: 'Dec',
};

/** RFC 822 / ISO 8601 as V8 reads them, then with zone and month names it does not know. */
export function parseDate(text: string | undefined): Date | undefined {
  // "03 Apr 02 1500 GMT" (RSS 0.92 era): V8 reads the colon-less time as midnight.
  const trimmed = text?.trim().replace(/(\d{1,2}\s+\p{L}{3,}\.?\s+\d{2,4}\s+)(\d{2})(\d{2})(?=\s|$)/u, '$1$2:$3');
  // V8 turns almost anything with a number into a date ("Version 2" → Feb 2001): insist on a year.
  if (!trimmed || !/\d{4}|\d{1,2}\s+\p{L}{3,}\.?\s+\d{2}\b/u.test(trimmed)) return undefined;
  const first = new Date(trimmed);
  if (!Number.isNaN(first.getTime())) return first;
  const rewritten = trimmed
    .replace(/^[^\d,]*,\s*/, '')
    .replace(/\p{L}+\.?/gu, (word) => MONTHS[word.replace('.', '').toLowerCase()] ?? ZONES[word] ?? word);
  const second = new Date(rewritten);
  return Number.isNaN(second.getTime()) ? undefined : second;
}
