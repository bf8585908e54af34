/**
 * The guides (`guide/<name>.md`, with a `zh/` twin), in sidebar order. One list for the site's sidebar and the
 * guides test, which runs every guide's shell blocks: a guide added here is shown and tested.
 */
export const GUIDES = [
  'qcom-fsg-preload',
  'own-keys',
  'mcfg',
  'mtk-nvram-upgrade',
  'lid-files',
  'partition-images',
  'device-sim',
  'diag-backup',
] as const;
