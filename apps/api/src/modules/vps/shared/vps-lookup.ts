import type { ProjectionsOrm, VpsServerRow } from '@stratus/projections';
import { VpsServerEntity } from '@stratus/projections';
import { isUuid } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';

export const vpsNotFound = () => new ApiError(404, 'vps_not_found', 'Server not found');

/** The organization's server from the read model; another organization's id is the same 404 as an unknown one. */
export async function findVpsRow(
  orm: ProjectionsOrm,
  organizationId: string,
  vpsId: string,
): Promise<VpsServerRow> {
  if (!isUuid(vpsId)) throw vpsNotFound();
  const row = await orm.em.fork().findOne(VpsServerEntity, { id: vpsId.toLowerCase(), organizationId });
  if (!row) throw vpsNotFound();
  return row;
}
