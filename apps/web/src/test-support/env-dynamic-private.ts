/** Stands in for SvelteKit's `$env/dynamic/private` when jest runs the web app's server modules. */
export const env: Record<string, string | undefined> = process.env;
