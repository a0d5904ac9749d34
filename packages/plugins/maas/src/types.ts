/** The fields of a MAAS machine that Baton reads (MAAS returns many more; they are kept in outputs). */
export interface MaasMachine {
  system_id: string;
  hostname: string;
  fqdn?: string;
  status: number;
  status_name: string;
  status_message?: string;
  power_state?: string;
  power_type?: string;
  architecture?: string;
  osystem?: string;
  distro_series?: string;
  tag_names?: string[];
  ip_addresses?: string[];
  zone?: { name: string };
  pool?: { name: string };
  domain?: { name: string };
  interface_set?: Array<{ mac_address?: string }>;
  [field: string]: unknown;
}
