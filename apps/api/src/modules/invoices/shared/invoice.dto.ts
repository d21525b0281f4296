import { ApiProperty } from '@nestjs/swagger';

export class BillingProfileDto {
  @ApiProperty({ example: 'Acme GmbH' }) legalName!: string;
  @ApiProperty({ example: 'Hauptstr. 1\n10115 Berlin', description: 'Lines separated by "\\n"' })
  address!: string;
  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' }) country!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DE123456789' }) taxId!: string | null;
}

export class InvoiceLineDto {
  @ApiProperty() description!: string;
  @ApiProperty({ example: '20.000000', description: 'As priced (see pricesIncludeTax)' }) amount!: string;
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' }) invoiceId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: ['invoice', 'credit_note'] }) kind!: 'invoice' | 'credit_note';
  @ApiProperty({ example: 'INV-2026-000123' }) number!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ description: 'The capture (invoice) or refund (credit note) documented' }) sourceId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The invoice a credit note corrects' })
  correctsInvoiceId!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ enum: ['USD'] }) currency!: 'USD';
  @ApiProperty({ type: BillingProfileDto, nullable: true }) billingProfile!: BillingProfileDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) taxCountry!: string | null;
  @ApiProperty({ example: '19.00', description: 'Percent' }) taxRate!: string;
  @ApiProperty() pricesIncludeTax!: boolean;
  @ApiProperty({ type: [InvoiceLineDto] }) lines!: InvoiceLineDto[];
  @ApiProperty({ example: '16.810000', description: 'Before tax' }) subtotal!: string;
  @ApiProperty({ example: '3.190000' }) tax!: string;
  @ApiProperty({ example: '20.000000' }) total!: string;
}

export class InvoicesPageResponseDto {
  @ApiProperty({ type: [InvoiceDto] }) items!: InvoiceDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
