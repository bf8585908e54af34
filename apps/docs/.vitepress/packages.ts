/** The library packages that get a page each (their READMEs), in sidebar order. Used by the config and the generator. */
export const PACKAGES = [
  'core',
  'qcom-efs',
  'qcom-fsg-sign',
  'qcom-mbn',
  'qcom-diag',
  'mtk-nvram-ltable',
  'mtk-lid-file',
  'device-sim',
] as const;
