import { describe, expect, it } from 'vitest';
import { headingWithSectionEmoji } from '../../../src/slack/render/section-emoji.js';

describe('headingWithSectionEmoji', () => {
  it.each([
    ['API endpoints', ':electric_plug: API endpoints'],
    ['1. API Design', ':electric_plug: 1. API Design'],
    ['REST API', ':electric_plug: REST API'],
    ['Endpoints', ':electric_plug: Endpoints'],
    ['2. Service architecture', ':building_construction: 2. Service architecture'],
    ['System design', ':building_construction: System design'],
    ['3) DATABASE SCHEMA', ':card_file_box: 3) DATABASE SCHEMA'],
    ['Data model', ':card_file_box: Data model'],
    ['Technology recommendations', ':toolbox: Technology recommendations'],
    ['Tech stack', ':toolbox: Tech stack'],
    ['Step 5: Scalability', ':chart_with_upwards_trend: Step 5: Scalability'],
    ['Scaling to 10x traffic', ':chart_with_upwards_trend: Scaling to 10x traffic'],
  ])('puts the section emoji in front of "%s"', (heading, expected) => {
    expect(headingWithSectionEmoji(heading)).toBe(expected);
  });

  it.each(['Summary', 'Open questions', '1. API gateway', 'Rapid prototyping', 'Next steps'])(
    'leaves "%s" as it is',
    (heading) => {
      expect(headingWithSectionEmoji(heading)).toBe(heading);
    },
  );

  it.each([
    '🔌 API endpoints',
    '1. 📈 Scalability',
    ':toolbox: Technology recommendations',
    'Database schema 🗃️',
  ])('adds no second emoji to "%s"', (heading) => {
    expect(headingWithSectionEmoji(heading)).toBe(heading);
  });
});
