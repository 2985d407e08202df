import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCAL_SETTING_NAMES } from '../src/config.js';

const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
// The SDK's own variable, read as a fallback for DYNAMODB_ENDPOINT; documented there in words.
const undocumentedOnPurpose = new Set(['AWS_ENDPOINT_URL_DYNAMODB']);

describe('.env.example', () => {
  it('documents every setting the local config reads', () => {
    const missing = LOCAL_SETTING_NAMES.filter(
      (name) => !documented.includes(name) && !undocumentedOnPurpose.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('documents nothing the local config does not read', () => {
    expect(documented.filter((name) => !LOCAL_SETTING_NAMES.includes(name))).toEqual([]);
  });

  it('documents each setting once', () => {
    expect(documented.length).toBe(new Set(documented).size);
  });
});
