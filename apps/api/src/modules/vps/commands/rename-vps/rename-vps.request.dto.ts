import { VpsLabelProperty } from '../../shared/vps-label.property';

export class RenameVpsRequestDto {
  @VpsLabelProperty()
  label!: string;
}
