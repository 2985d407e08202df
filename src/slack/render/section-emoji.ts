// The five standard sections of a design, recognised by keywords in the heading text. Checked in this order, so
// "Database architecture" is a database section and "API scalability" a scalability one.
const SECTION_EMOJI: readonly { readonly emoji: string; readonly keywords: RegExp }[] = [
  {
    emoji: ':chart_with_upwards_trend:',
    keywords: /\b(?:scalab\w*|scaling|scale|capacity|performance)\b/i,
  },
  {
    emoji: ':card_file_box:',
    keywords: /\b(?:database|schema|data\s+model(?:l?ing)?|storage|persistence)\b/i,
  },
  {
    emoji: ':electric_plug:',
    keywords:
      /\bendpoints?\b|^(?:(?:rest|http|public|grpc|graphql|external|internal)\s+)?apis?(?:\s+(?:design|endpoints?|surface|contract|reference|overview|spec(?:ification)?))?$/i,
  },
  {
    emoji: ':toolbox:',
    keywords: /\b(?:technolog(?:y|ies)|tech(?:\s+|-)stack|stack|tooling|tools)\b/i,
  },
  {
    emoji: ':building_construction:',
    keywords: /\b(?:architecture|system\s+design|service\s+design|services|components)\b/i,
  },
];

// "1. ", "2) ", "Step 3: ", "IV. " at the start of a heading.
const NUMBERING = /^(?:(?:step|part|section)\s+)?(?:\d+(?:\.\d+)*|[ivx]+)[.):]?\s+/i;
// An emoji the model already put in the heading: a pictograph, or a Slack :shortcode:.
const EXISTING_EMOJI = /\p{Extended_Pictographic}|:[a-z0-9_+-]+:/u;

/** The heading with the emoji of its standard design section in front, if it is one and has no emoji yet. */
export function headingWithSectionEmoji(heading: string): string {
  if (EXISTING_EMOJI.test(heading)) return heading;
  const topic = heading.replace(NUMBERING, '').trim();
  const section = SECTION_EMOJI.find(({ keywords }) => keywords.test(topic));
  return section === undefined ? heading : `${section.emoji} ${heading}`;
}
