import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, renderApiTypes } from './openapi-types';

describe('the portal API types (api-types.gen.ts)', () => {
  it('are what openapi-typescript makes of the current /api/openapi.json (else: npm run openapi:types)', async () => {
    const checkedIn = readFileSync(API_TYPES_FILE, 'utf8');
    expect(checkedIn).toBe(await renderApiTypes());
  });
});
