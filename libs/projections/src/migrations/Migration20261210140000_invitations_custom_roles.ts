import { Migration } from '@mikro-orm/migrations';

/** Invitations by email and each organization's custom roles (organization stream). */
export class Migration20261210140000_invitations_custom_roles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "organization_roles" (
      "organization_id" text not null,
      "role_id" text not null,
      "name" text not null,
      "permissions" jsonb not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "organization_roles_pkey" primary key ("organization_id", "role_id"));`);
    this.addSql(`create table "invitations" (
      "id" text not null primary key,
      "organization_id" text not null,
      "email" text not null,
      "role" text not null,
      "invited_by" text not null,
      "status" text not null,
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "closed_at" timestamptz null);`);
    this.addSql(
      `create index "invitations_organization_id_status_index" on "invitations" ("organization_id", "status");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invitations";`);
    this.addSql(`drop table if exists "organization_roles";`);
  }
}
