/**
 * The simulator's fixed catalog: a few Linode types (with Linode's published prices), regions and images,
 * in the exact response shapes of the Linode API v4 spec (GET /linode/types, /regions, /images).
 */

export interface LinodeTypeRecord {
  id: string;
  label: string;
  class: 'nanode' | 'standard' | 'dedicated' | 'premium' | 'gpu' | 'highmem';
  disk: number;
  memory: number;
  vcpus: number;
  gpus: number;
  transfer: number;
  network_out: number;
  price: { hourly: number; monthly: number };
  addons: { backups: { price: { hourly: number; monthly: number }; region_prices: [] } };
  region_prices: [];
  successor: string | null;
}

function linodeType(
  id: string,
  label: string,
  cls: LinodeTypeRecord['class'],
  spec: { vcpus: number; memory: number; disk: number; transfer: number; networkOut: number },
  price: { hourly: number; monthly: number },
  backups: { hourly: number; monthly: number },
): LinodeTypeRecord {
  return {
    id,
    label,
    class: cls,
    disk: spec.disk,
    memory: spec.memory,
    vcpus: spec.vcpus,
    gpus: 0,
    transfer: spec.transfer,
    network_out: spec.networkOut,
    price,
    addons: { backups: { price: backups, region_prices: [] } },
    region_prices: [],
    successor: null,
  };
}

export const SIMULATOR_TYPES: readonly LinodeTypeRecord[] = [
  linodeType(
    'g6-nanode-1',
    'Nanode 1GB',
    'nanode',
    { vcpus: 1, memory: 1024, disk: 25600, transfer: 1000, networkOut: 1000 },
    { hourly: 0.0075, monthly: 5 },
    { hourly: 0.003, monthly: 2 },
  ),
  linodeType(
    'g6-standard-1',
    'Linode 2GB',
    'standard',
    { vcpus: 1, memory: 2048, disk: 51200, transfer: 2000, networkOut: 2000 },
    { hourly: 0.018, monthly: 12 },
    { hourly: 0.004, monthly: 2.5 },
  ),
  linodeType(
    'g6-standard-2',
    'Linode 4GB',
    'standard',
    { vcpus: 2, memory: 4096, disk: 81920, transfer: 4000, networkOut: 4000 },
    { hourly: 0.036, monthly: 24 },
    { hourly: 0.0075, monthly: 5 },
  ),
  linodeType(
    'g6-standard-4',
    'Linode 8GB',
    'standard',
    { vcpus: 4, memory: 8192, disk: 163840, transfer: 5000, networkOut: 5000 },
    { hourly: 0.072, monthly: 48 },
    { hourly: 0.015, monthly: 10 },
  ),
];

export interface LinodeRegionRecord {
  id: string;
  label: string;
  country: string;
  capabilities: string[];
  status: 'ok' | 'outage';
  resolvers: { ipv4: string; ipv6: string };
  placement_group_limits: { maximum_linodes_per_pg: number; maximum_pgs_per_customer: number | null };
  'site-type': 'core' | 'distributed';
}

function region(id: string, label: string, country: string, resolverNet: number): LinodeRegionRecord {
  return {
    id,
    label,
    country,
    capabilities: ['Linodes', 'Backups', 'NodeBalancers', 'Block Storage', 'Cloud Firewall'],
    status: 'ok',
    // Documentation ranges (RFC 5737 / RFC 3849): reported, never contacted.
    resolvers: {
      ipv4: `203.0.113.${resolverNet},203.0.113.${resolverNet + 1}`,
      ipv6: `2001:db8:${resolverNet}::5`,
    },
    placement_group_limits: { maximum_linodes_per_pg: 5, maximum_pgs_per_customer: null },
    'site-type': 'core',
  };
}

export const SIMULATOR_REGIONS: readonly LinodeRegionRecord[] = [
  region('us-east', 'Newark, NJ', 'us', 10),
  region('us-central', 'Dallas, TX', 'us', 20),
  region('us-west', 'Fremont, CA', 'us', 30),
  region('eu-west', 'London, UK', 'gb', 40),
  region('eu-central', 'Frankfurt, DE', 'de', 50),
  region('ap-south', 'Singapore, SG', 'sg', 60),
];

export interface LinodeImageRecord {
  id: string;
  label: string;
  description: string;
  created: string;
  created_by: string;
  deprecated: boolean;
  is_public: boolean;
  size: number;
  total_size: number;
  status: 'available';
  type: 'manual' | 'automatic';
  vendor: string | null;
  eol: string | null;
  expiry: string | null;
  updated: string;
  capabilities: string[];
  tags: string[];
  regions: { region: string; status: 'available' }[];
}

function image(
  id: string,
  label: string,
  vendor: string,
  created: string,
  eol: string | null,
): LinodeImageRecord {
  return {
    id,
    label,
    description: `${label} (Linode official image)`,
    created,
    created_by: 'linode',
    deprecated: false,
    is_public: true,
    size: 2500,
    total_size: 2500,
    status: 'available',
    type: 'manual',
    vendor,
    eol,
    expiry: null,
    updated: created,
    capabilities: ['cloud-init'],
    tags: [],
    regions: [],
  };
}

export const SIMULATOR_IMAGES: readonly LinodeImageRecord[] = [
  image('linode/debian12', 'Debian 12', 'Debian', '2023-06-12T15:37:53', '2028-06-10T04:00:00'),
  image('linode/debian11', 'Debian 11', 'Debian', '2021-08-14T22:44:02', '2026-08-15T04:00:00'),
  image('linode/ubuntu24.04', 'Ubuntu 24.04 LTS', 'Ubuntu', '2024-04-25T12:00:00', '2029-05-31T04:00:00'),
  image('linode/ubuntu22.04', 'Ubuntu 22.04 LTS', 'Ubuntu', '2022-04-21T19:50:49', '2027-04-01T04:00:00'),
  image('linode/almalinux9', 'AlmaLinux 9', 'AlmaLinux', '2022-05-26T21:39:51', '2032-05-31T04:00:00'),
];
