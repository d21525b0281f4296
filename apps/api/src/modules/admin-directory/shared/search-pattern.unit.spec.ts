import { containsPattern, normalizeQuery } from './search-pattern';

describe('containsPattern', () => {
  test('wraps the text in wildcards', () => {
    expect(containsPattern('ada')).toBe('%ada%');
  });
  test('escapes the wildcards and the escape character the user typed', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('normalizeQuery', () => {
  test('trims and collapses whitespace', () => {
    expect(normalizeQuery('  Ada   Lovelace ')).toBe('Ada Lovelace');
  });
  test('absent is empty', () => {
    expect(normalizeQuery(undefined)).toBe('');
  });
});
