/**
 * Variables read only by the development launcher (`npm start`, infra/src/scripts/start.ts), not by the services,
 * and what the launcher provides to the services when they are unset. Documented next to CONFIG_SCHEMA.
 */
export const LAUNCHER_VARIABLES = {
  STRATUS_DATA_DIR: {
    description:
      'Where `npm start` keeps generated secrets and the embedded PostgreSQL (relative to the repo root)',
    default: '.data',
  },
} as const;

/** What `npm start` supplies when the variable is unset (shown in .env.example and the README). */
export const PROVIDED_BY_LAUNCHER: Readonly<Record<string, string>> = {
  DATABASE_URL: 'npm start: local PostgreSQL (or embedded), database `stratus`',
  JWT_SECRET: 'npm start: generated once, kept in .data/secrets.json',
  ADMIN_EMAIL: 'npm start: admin@stratus.local',
  SMTP_URL: 'npm start: Mailpit on 127.0.0.1:1025 (web UI http://localhost:8025)',
  ADMIN_PASSWORD: 'npm start: generated once, printed at first start, kept in .data/secrets.json',
};
