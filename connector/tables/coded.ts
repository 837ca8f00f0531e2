import type { CodedValue } from '../contract';

/** Code/label fields are stored and imported in their display form, "<code> - <label>". */
export const CODE_SEPARATOR = ' - ';

/** "01 - John Smith" → {Code: "01", DisplayAs: "01 - John Smith"}; without a separator the whole text is the code. */
export function splitCoded(display: string): CodedValue {
  const at = display.indexOf(CODE_SEPARATOR);
  return { Code: (at >= 0 ? display.slice(0, at) : display).trim(), DisplayAs: display };
}
