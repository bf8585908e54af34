/**
 * The factory NV ids a shared preload must not carry (docs/formats/efs-tar.md#pitfalls #12), a leaf module:
 * `@nv/qcom-efs/model` exports it without reaching lint and the XML layer.
 * @module
 */

/**
 * Device-unique identity/factory NVs that must not go into a shared preload (docs/formats/efs-tar.md#pitfalls #12). Ids and names as in public
 * sources (the README names the source of each). Extend with `factoryIds`.
 */
export const FACTORY_NV_IDS: Readonly<Record<number, string>> = Object.freeze({
  0: 'ESN', // NV_ESN_I
  1: 'ESN checksum', // NV_ESN_CHKSUM_I
  114: 'factory information', // NV_FACTORY_INFO_I
  447: 'Bluetooth address', // NV_BD_ADDR_I
  550: 'IMEI', // NV_UE_IMEI_I
  1943: 'MEID', // NV_MEID_I
  1992: 'MEID check digit', // NV_MEID_CD_I
  2497: 'factory data 1', // NV_FACTORY_DATA_1_I
  2498: 'factory data 2', // NV_FACTORY_DATA_2_I
  2499: 'factory data 3', // NV_FACTORY_DATA_3_I
  2500: 'factory data 4', // NV_FACTORY_DATA_4_I
  4678: 'WLAN MAC address', // NV_WLAN_MAC_ADDRESS_I
  5597: 'ESN (ME copy)', // NV_ESN_ME_I
  5598: 'MEID (ME copy)', // NV_MEID_ME_I
});
