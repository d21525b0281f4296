import { VPS_LABEL_PATTERN } from '../vps/vps.validation';
import { vpsInstanceLabel, vpsInstanceTags } from './instance-tags';

const VPS_ID = '3f2a9c1b-7d4e-4f00-9a1b-2c3d4e5f6a7b';

describe('instance tags and labels', () => {
  it('tags an instance with stratus and its server', () => {
    expect(vpsInstanceTags(VPS_ID)).toEqual(['stratus', `vps:${VPS_ID}`]);
  });

  it.each([
    ['web-1', 'web-1-3f2a9c1b'],
    ['web-', 'web-3f2a9c1b'],
    ['db_.', 'db-3f2a9c1b'],
    [`a${'b'.repeat(63)}`, `a${'b'.repeat(54)}-3f2a9c1b`],
    [`ab${'-c'.repeat(31)}`, `ab${'-c'.repeat(26)}-3f2a9c1b`],
  ])(
    'labels the instance of %p as %p: a valid provider label, unique by the server id',
    (label, expected) => {
      const instanceLabel = vpsInstanceLabel(VPS_ID, label);
      expect(instanceLabel).toBe(expected);
      expect(instanceLabel).toMatch(VPS_LABEL_PATTERN);
      expect(vpsInstanceLabel('9' + VPS_ID.slice(1), label)).not.toBe(instanceLabel);
    },
  );
});
