// Code points shown two columns wide in a monospace font: emoji and East Asian wide/fullwidth characters
// (Unicode UAX #11, https://www.unicode.org/reports/tr11/; a coarse subset, enough for table alignment).
const WIDE =
  /[\u{1100}-\u{115F}\u{231A}\u{231B}\u{23E9}-\u{23EC}\u{23F0}\u{23F3}\u{25FD}\u{25FE}\u{2614}\u{2615}\u{2648}-\u{2653}\u{267F}\u{2693}\u{26A1}\u{26AA}\u{26AB}\u{26BD}\u{26BE}\u{26C4}\u{26C5}\u{26CE}\u{26D4}\u{26EA}\u{26F2}-\u{26F5}\u{26FA}\u{26FD}\u{2705}\u{270A}\u{270B}\u{2728}\u{274C}\u{274E}\u{2753}-\u{2755}\u{2757}\u{2795}-\u{2797}\u{27B0}\u{27BF}\u{2B1B}\u{2B1C}\u{2B50}\u{2B55}\u{2E80}-\u{303E}\u{3041}-\u{33FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{A000}-\u{A4CF}\u{AC00}-\u{D7A3}\u{F900}-\u{FAFF}\u{FE30}-\u{FE4F}\u{FF00}-\u{FF60}\u{FFE0}-\u{FFE6}\u{1F300}-\u{1F64F}\u{1F680}-\u{1F6FF}\u{1F900}-\u{1F9FF}\u{1FA70}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
// Code points that take no column of their own: combining marks (variation selectors among them) and format
// characters (zero-width joiner and spaces).
const ZERO_WIDTH = /\p{Mn}|\p{Me}|\p{Cf}/u;

const EMOJI_PRESENTATION = '\u{FE0F}';

/** Columns the text takes in a monospace font, counting emoji and CJK characters as two. */
export function monospaceWidth(text: string): number {
  let width = 0;
  let previousWasNarrow = false;
  for (const codePoint of text) {
    // VS16 turns a narrow symbol such as U+26A0 into a wide emoji ("⚠️").
    if (codePoint === EMOJI_PRESENTATION && previousWasNarrow) width += 1;
    if (ZERO_WIDTH.test(codePoint)) {
      previousWasNarrow = false;
      continue;
    }
    previousWasNarrow = !WIDE.test(codePoint);
    width += previousWasNarrow ? 1 : 2;
  }
  return width;
}
