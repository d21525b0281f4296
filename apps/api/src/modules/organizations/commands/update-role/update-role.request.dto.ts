export { UpdateRoleRequestDto } from '../create-role/create-role.request.dto';
