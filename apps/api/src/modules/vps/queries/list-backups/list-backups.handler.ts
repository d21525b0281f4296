import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CloudProvider, ProviderBackup } from '@stratus/domain';
import type { ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOUD_PROVIDER } from '../../../../shared/provider/cloud-provider.module';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { VpsBackupDto, VpsBackupsDto } from '../../shared/backups-firewall.dto';
import { mapProviderError } from '../../shared/provider-errors';
import { findVpsRow } from '../../shared/vps-lookup';
import { ListBackupsQuery } from './list-backups.query';

const backupView = (backup: ProviderBackup): VpsBackupDto => ({ ...backup });

/**
 * The server's backups are the provider's data, read from it on each request rather than from a projection: the
 * automatic ones are taken on the provider's schedule, which no event of ours records, so a read model would miss
 * them or lag. The server itself (the organization's, its instance, backups on) comes from the read model;
 * provider failures are 502/503 JSON (mapProviderError). Backups off: an empty list with backupsEnabled false, so
 * the portal shows why there is nothing rather than an error.
 */
@QueryHandler(ListBackupsQuery)
export class ListBackupsHandler implements IQueryHandler<ListBackupsQuery, VpsBackupsDto> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
  ) {}

  async execute(query: ListBackupsQuery): Promise<VpsBackupsDto> {
    const row = await findVpsRow(this.orm, query.organizationId, query.vpsId);
    if (!row.backups) {
      return { backupsEnabled: false, automatic: [], snapshot: { current: null, inProgress: null } };
    }
    if ((row.status !== 'active' && row.status !== 'suspended') || row.providerInstanceId === null) {
      throw new ApiError(409, 'vps_not_active', `The server is ${row.status}: it has no backups to list`, {
        vpsId: row.id,
        status: row.status,
      });
    }
    let backups;
    try {
      backups = await this.provider.listBackups(row.providerInstanceId);
    } catch (error) {
      throw mapProviderError(error, 'list the backups of');
    }
    return {
      backupsEnabled: true,
      automatic: backups.automatic.map(backupView),
      snapshot: {
        current: backups.snapshot.current && backupView(backups.snapshot.current),
        inProgress: backups.snapshot.inProgress && backupView(backups.snapshot.inProgress),
      },
    };
  }
}
