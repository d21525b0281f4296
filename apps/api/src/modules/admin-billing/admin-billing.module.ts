import { Module } from '@nestjs/common';

/** Admin operations (platform role admin): see the README's "Admin operations". */
@Module({ controllers: [], providers: [] })
export class AdminBillingModule {}
