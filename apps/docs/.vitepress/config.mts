// VitePress configuration (stack.md §6): English at the root, Simplified Chinese under `zh/`, local search,
// the typedoc sidebar from `api/typedoc-sidebar.json` (written by `pnpm build` before VitePress runs).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme, type UserConfig } from 'vitepress';
import { GUIDES } from './guides.ts';
import { PACKAGES } from './packages.ts';

const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? (JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[])
  : [];

interface Labels {
  readonly guides: string;
  readonly reference: string;
  readonly inspector: string;
  readonly cli: string;
  readonly errors: string;
  readonly api: string;
  readonly packages: string;
  readonly gettingStarted: string;
  readonly guideTitles: Readonly<Record<(typeof GUIDES)[number], string>>;
  readonly formats: string;
  readonly formatTitles: Readonly<Record<(typeof FORMATS)[number], string>>;
}

/** The format reference (`formats/<page>.md`), in sidebar order; the code cites these pages by anchor. */
const FORMATS = ['qcn', 'efs-tar', 'fsg', 'mcfg', 'lid-table', 'lid-files', 'bin-region', 'diag'] as const;

const EN: Labels = {
  guides: 'Guides',
  reference: 'Reference',
  inspector: 'Inspector',
  cli: 'CLI commands',
  errors: 'Error codes',
  api: 'API (typedoc)',
  packages: 'Packages',
  gettingStarted: 'Getting started',
  guideTitles: {
    'qcom-fsg-preload': 'Static NV preload to FSG',
    'own-keys': 'Signing with your own keys',
    mcfg: 'MCFG carrier configuration',
    'mtk-nvram-upgrade': 'MediaTek NVRAM upgrades',
    'lid-files': 'LID files and LID_BIT',
    'partition-images': 'From a partition dump to a safe upgrade',
    'device-sim': 'The device simulator',
    'diag-backup': "Back up and restore a modem's NV",
  },
  formats: 'Formats',
  formatTitles: {
    qcn: 'QCN and NV source XML',
    'efs-tar': 'EFS tree and device tar',
    fsg: 'FSG image and MBN v3 signing',
    mcfg: 'MCFG MBN',
    'lid-table': 'LID table',
    'lid-files': 'LID files and LID_BIT',
    'bin-region': 'nvram bin region',
    diag: 'Qualcomm DIAG',
  },
};

const ZH: Labels = {
  guides: '指南',
  reference: '参考',
  inspector: '在线解析',
  cli: 'CLI 命令',
  errors: '错误码',
  api: 'API（typedoc）',
  packages: '软件包',
  gettingStarted: '快速上手',
  guideTitles: {
    'qcom-fsg-preload': '静态 NV 预置到 FSG',
    'own-keys': '使用自己的密钥签名',
    mcfg: 'MCFG 运营商配置',
    'mtk-nvram-upgrade': 'MediaTek NVRAM 升级',
    'lid-files': 'LID 文件与 LID_BIT',
    'partition-images': '从分区转储到安全升级',
    'device-sim': '设备模拟器',
    'diag-backup': '备份与恢复基带 NV',
  },
  formats: '格式',
  formatTitles: {
    qcn: 'QCN 与 NV 源 XML',
    'efs-tar': 'EFS 树与设备 tar',
    fsg: 'FSG 镜像与 MBN v3 签名',
    mcfg: 'MCFG MBN',
    'lid-table': 'LID 表',
    'lid-files': 'LID 文件与 LID_BIT',
    'bin-region': 'nvram bin region',
    diag: '高通 DIAG',
  },
};

function themeFor(prefix: '' | '/zh', l: Labels): DefaultTheme.Config {
  const guideItems = [
    { text: l.gettingStarted, link: `${prefix}/guide/` },
    ...GUIDES.map((g) => ({ text: l.guideTitles[g], link: `${prefix}/guide/${g}` })),
  ];
  const referenceItems = [
    { text: l.cli, link: `${prefix}/reference/cli` },
    { text: l.errors, link: `${prefix}/reference/errors` },
    { text: l.api, link: '/api/' },
  ];
  const formatItems = [
    { text: l.formats, link: `${prefix}/formats/` },
    ...FORMATS.map((f) => ({ text: l.formatTitles[f], link: `${prefix}/formats/${f}` })),
  ];
  const packageItems = PACKAGES.map((p) => ({ text: `@nv/${p}`, link: `${prefix}/packages/${p}` }));
  return {
    nav: [
      { text: l.guides, link: `${prefix}/guide/`, activeMatch: `^${prefix}/guide/` },
      { text: l.reference, items: referenceItems },
      { text: l.formats, link: `${prefix}/formats/`, activeMatch: `^${prefix}/formats/` },
      { text: l.packages, items: packageItems },
      { text: l.inspector, link: `${prefix}/inspector` },
    ],
    sidebar: {
      [`${prefix}/guide/`]: [{ text: l.guides, items: guideItems }],
      [`${prefix}/reference/`]: [
        { text: l.reference, items: referenceItems },
        { text: l.packages, items: packageItems },
      ],
      [`${prefix}/formats/`]: [
        { text: l.formats, items: formatItems },
        { text: l.reference, items: referenceItems },
      ],
      [`${prefix}/packages/`]: [
        { text: l.packages, items: packageItems },
        { text: l.reference, items: referenceItems },
      ],
      ...(prefix === '' ? { '/api/': [{ text: l.api, link: '/api/', items: apiSidebar }] } : {}),
    },
    outline: { level: [2, 3] },
  };
}

// vite 5 adds `@nv/source` to its default conditions: the site compiles the packages' TypeScript sources,
// so it builds from a clean clone with no `dist/` (stack.md §4, §6).
const conditions = ['@nv/source'];

const config: UserConfig<DefaultTheme.Config> = defineConfig({
  title: '@nv toolkit',
  description: 'Modem NV data done right: Qualcomm QCN/EFS/FSG/MCFG and MediaTek NVRAM, exact and scriptable.',
  cleanUrls: true,
  // A real icon: without one Chromium asks for /favicon.ico and logs a 404 on the first page.
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  lastUpdated: false,
  srcExclude: ['README.md', 'test/**', 'scripts/**', 'generated/**', 'test-output/**'],
  vite: {
    plugins: [
      {
        // The site must build from a clean clone: a package module loaded from a `dist/` folder means the
        // `@nv/source` condition was lost, and the build would then depend on (possibly stale) build output.
        name: 'nv-no-dist',
        load(id: string): null {
          if (/[\\/](packages[\\/][^\\/]+|apps[\\/]cli)[\\/]dist[\\/]/.test(id))
            throw new Error(`${id}: loaded from dist/, not from the @nv/source entry`);
          return null;
        },
      },
    ],
    resolve: {
      conditions,
      // The API pages are English only: our langs composable sends their language link to the other home.
      alias: [
        {
          find: /^\.{1,2}\/composables\/langs(\.js)?$/,
          replacement: fileURLToPath(new URL('./theme/langs.js', import.meta.url)),
        },
      ],
    },
    ssr: { resolve: { conditions, externalConditions: conditions }, noExternal: [/^@nv\//] },
    build: { chunkSizeWarningLimit: 2000 },
  },
  locales: {
    root: { label: 'English', lang: 'en-US', themeConfig: themeFor('', EN) },
    zh: {
      label: '简体中文',
      lang: 'zh-CN',
      title: '@nv 工具集',
      description: '精确、可脚本化的基带 NV 数据工具：高通 QCN/EFS/FSG/MCFG 与 MediaTek NVRAM。',
      themeConfig: {
        ...themeFor('/zh', ZH),
        outline: { level: [2, 3], label: '本页目录' },
        docFooter: { prev: '上一页', next: '下一页' },
        returnToTopLabel: '回到顶部',
        sidebarMenuLabel: '菜单',
        darkModeSwitchLabel: '外观',
        langMenuLabel: '语言',
      },
    },
  },
  themeConfig: {
    search: {
      provider: 'local',
      options: {
        locales: {
          zh: {
            translations: {
              button: { buttonText: '搜索', buttonAriaLabel: '搜索' },
              modal: {
                noResultsText: '没有结果',
                resetButtonTitle: '清除',
                footer: { selectText: '选择', navigateText: '切换', closeText: '关闭' },
              },
            },
          },
        },
      },
    },
  },
});

// VitePress loads its configuration through a default export.
export default config;
