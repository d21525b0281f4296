import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { VPS_LABEL_PATTERN } from '@stratus/domain';
import { IsString, Matches } from 'class-validator';

const LABEL_RULE =
  '3 to 64 characters: starts with a letter; letters, digits, "-", "_" and "."; no "--", "__" or ".."';

/** A server's label, on creation and rename alike (the decider checks the same pattern). */
export const VpsLabelProperty = () =>
  applyDecorators(
    ApiProperty({ example: 'web-1', description: LABEL_RULE }),
    IsString({ message: 'label must be a string' }),
    Matches(VPS_LABEL_PATTERN, { message: `label must be ${LABEL_RULE}` }),
  );
