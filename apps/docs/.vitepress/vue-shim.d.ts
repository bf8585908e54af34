// Lets `tsc -p apps/docs` type the theme's imports of single-file components.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
