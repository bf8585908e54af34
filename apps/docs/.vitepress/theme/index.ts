// The default theme plus the inspector component (used by /inspector and /zh/inspector).
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import Inspector from './Inspector.vue';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('NvInspector', Inspector);
  },
};

// VitePress loads the theme through a default export.
export default theme;
