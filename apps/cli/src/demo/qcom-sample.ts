/**
 * The demo's Qualcomm sample data, written for this project (no vendor files): an NvDefinition with RF
 * calibration-style items and a master NvSource that includes a per-band file, as vendor trees lay them out.
 */

/** Definition: layouts of every item the master sets (docs/formats/qcn.md#nvdefinition). */
export const SAMPLE_NV_DEFINITION = `<?xml version="1.0" encoding="utf-8"?>
<NvDefinition>
  <DataType name="uint8"><Member type="uint8" sizeOf="1"/></DataType>
  <DataType name="uint16"><Member type="uint16" sizeOf="1"/></DataType>
  <DataType name="tx_lin_row"><Member type="uint16" sizeOf="1" name="pa_state"/><Member type="int16" sizeOf="8" name="power_dbm10"/></DataType>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="mode"/></NvItem>
  <NvItem id="441" name="NV_BAND_PREF_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="band"/></NvItem>
  <NvItem id="946" name="NV_BAND_PREF_16_31_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="band"/></NvItem>
  <NvItem id="1877" name="NV_RF_BC_CONFIG_I" permission="rw"><Member type="uint64" sizeOf="1"/></NvItem>
  <NvItem id="6828" name="NV_LTE_BC_CONFIG_I" permission="rw"><Member type="uint64" sizeOf="1"/></NvItem>
  <NvItem id="24997" name="RFNV_LTE_B3_TX_LIN" permission="rw"><Member type="tx_lin_row" sizeOf="4"/></NvItem>
  <NvItem id="24998" name="RFNV_LTE_B7_TX_LIN" permission="rw"><Member type="tx_lin_row" sizeOf="4"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/modem/mmode/lte_bandpref" name="lte_bandpref" permission="rw"><Member type="uint64" sizeOf="1"/></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/IMS_enable" name="IMS_enable" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="mcfg_autoselect_by_uim" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
</NvDefinition>
`;

/** Master file: general settings plus an `xi:include` of the band file (docs/formats/qcn.md#nvsource). */
export const SAMPLE_NV_MASTER = `<?xml version="1.0" encoding="utf-8"?>
<NvSource xmlns:xi="http://www.w3.org/2001/XInclude">
  <!-- Preferred mode: automatic (LTE/WCDMA/GSM) on NAM 0 -->
  <NvItem id="10" encoding="dec" index="0">0, 2</NvItem>
  <NvItem id="441" encoding="hex" index="0">0x0 0xFFFF</NvItem>
  <NvItem id="946" encoding="hex" index="0">0x0 0x3FFF</NvItem>
  <NvItem id="1877" encoding="hex">0x0000000000E80187</NvItem>
  <NvItem id="6828" encoding="hex">0x0000000000000044</NvItem>
  <NvEfsItem fullpathname="/nv/item_files/modem/mmode/lte_bandpref" encoding="hex">0x44</NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/IMS_enable" encoding="dec">1</NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" encoding="hex" useProvisioningStore="true">0x81</NvEfsItem>
  <xi:include href="bands/lte_tx_lin.xml#xpointer(/NvSource/*)"/>
</NvSource>
`;

/** Band file: TX linearizer tables (four PA states × eight power points each, dBm×10). */
export const SAMPLE_NV_BANDS = `<?xml version="1.0" encoding="utf-8"?>
<NvSource>
  <NvItem id="24997" encoding="dec">0 -400 -200 0 100 150 200 230 250  1 -300 -100 50 120 170 220 250 270  2 -200 0 100 150 200 240 260 280  3 -100 50 150 200 240 260 280 290</NvItem>
  <NvItem id="24998" encoding="dec">0 -410 -210 -5 95 145 195 225 245  1 -310 -110 45 115 165 215 245 265  2 -210 -5 95 145 195 235 255 275  3 -110 45 145 195 235 255 275 285</NvItem>
</NvSource>
`;

/** The files as a user would have them on disk (relative paths). */
export const SAMPLE_NV_FILES: Readonly<Record<string, string>> = {
  'NvDefinition.xml': SAMPLE_NV_DEFINITION,
  'master.xml': SAMPLE_NV_MASTER,
  'bands/lte_tx_lin.xml': SAMPLE_NV_BANDS,
};
