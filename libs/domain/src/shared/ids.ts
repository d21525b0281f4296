/**
 * Namespace of Stratus's deterministic ids (uuid v5): every process (API, workers, bench) derives ids from
 * keys under this one value, so an id derived from a key is the same whichever process derives it. Keys
 * carry a prefix per use (`wallet:…`, `vps:…`, `wallet-charge:…`). Never change it: stored ids depend on it.
 */
export const STRATUS_ID_NAMESPACE = '3f0b8f52-6c2e-4b8e-9a51-7c1d2f6e4a90';
