/**
 * The Linode operations Stratus uses, validated against Linode's official OpenAPI spec
 * (shared/specs/linode-api-v4.openapi.yaml beside the repository) with the generic validator, plus Linode's own
 * formats and its JSON X-Filter header.
 */
import { isIP } from 'node:net';
import {
  locateSharedSpec,
  loadSpecValidator,
  SpecValidator,
  ValidatedOperation,
} from '../openapi/spec-validator';

export {
  answersOutsideSpec,
  translateSchema,
  type ObservedAnswer,
  type SpecCheck,
} from '../openapi/spec-validator';

export const LINODE_SPEC_PATH = locateSharedSpec('linode-api-v4.openapi.yaml');

/** The operations the adapter calls and the simulator serves, as spec path templates. */
export const VALIDATED_OPERATIONS: readonly ValidatedOperation[] = [
  { method: 'GET', template: '/{apiVersion}/linode/instances' },
  { method: 'POST', template: '/{apiVersion}/linode/instances' },
  { method: 'GET', template: '/{apiVersion}/linode/instances/{linodeId}' },
  { method: 'DELETE', template: '/{apiVersion}/linode/instances/{linodeId}' },
  { method: 'PUT', template: '/{apiVersion}/linode/instances/{linodeId}' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/boot' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/reboot' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/shutdown' },
  { method: 'GET', template: '/{apiVersion}/linode/types' },
  { method: 'GET', template: '/{apiVersion}/regions' },
  { method: 'GET', template: '/{apiVersion}/images' },
  { method: 'GET', template: '/{apiVersion}/networking/ips/{address}' },
  { method: 'PUT', template: '/{apiVersion}/networking/ips/{address}' },
  // ---- backups and firewall (issue 15) ----
  { method: 'GET', template: '/{apiVersion}/linode/instances/{linodeId}/backups' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/backups' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/backups/{backupId}/restore' },
  { method: 'GET', template: '/{apiVersion}/networking/firewalls' },
  { method: 'POST', template: '/{apiVersion}/networking/firewalls' },
  { method: 'PUT', template: '/{apiVersion}/networking/firewalls/{firewallId}/rules' },
  { method: 'GET', template: '/{apiVersion}/networking/firewalls/{firewallId}/devices' },
  { method: 'POST', template: '/{apiVersion}/networking/firewalls/{firewallId}/devices' },
  { method: 'DELETE', template: '/{apiVersion}/networking/firewalls/{firewallId}/devices/{deviceId}' },
  { method: 'GET', template: '/{apiVersion}/linode/instances/{linodeId}/transfer' },
  { method: 'GET', template: '/{apiVersion}/linode/instances/{linodeId}/transfer/{year}/{month}' },
  // ---- rebuild, resize, backups (issue 15) ----
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/rebuild' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/resize' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/backups/enable' },
  { method: 'POST', template: '/{apiVersion}/linode/instances/{linodeId}/backups/cancel' },
];

export type LinodeSpecValidator = SpecValidator;

const LINODE_FORMATS = {
  // Linode writes timestamps without a zone ("2018-01-01T00:01:01", UTC), as the spec's own examples do.
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/i,
  'ipv6/128': (value: string) => {
    const [address, prefix] = value.split('/');
    return isIP(address) === 6 && (prefix === undefined || prefix === '128');
  },
  ip: (value: string) => isIP(value) !== 0,
  'ip/netmask': (value: string) => {
    const [address, prefix] = value.split('/');
    return isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
  },
};

/** Reads and compiles the spec once per process (per jest test file). */
export function loadLinodeSpecValidator(specPath: string = LINODE_SPEC_PATH): Promise<LinodeSpecValidator> {
  return loadSpecValidator([{ path: specPath, operations: VALIDATED_OPERATIONS }], {
    formats: LINODE_FORMATS,
    parseHeader: (name, raw) => {
      if (name.toLowerCase() !== 'x-filter') return { value: raw };
      try {
        return { value: JSON.parse(raw) as unknown };
      } catch {
        return { error: 'is not JSON' };
      }
    },
  });
}
