// Replaces the default theme's `composables/langs` (aliased in config.mts). Identical, except that the API
// reference exists in English only (typedoc output): from an `/api/` page the other language's link goes to
// that language's home instead of a page that does not exist.
// Plain JS: `vue` comes through VitePress' alias and is not a dependency tsc can see from here.
import { computed } from 'vue';
import { useData } from 'vitepress';

/** The current locale and a link to the same page in every other locale. */
/** @param {{ correspondingLink?: boolean }} [options] */
export function useLangs({ correspondingLink = false } = {}) {
  const { site, localeIndex, page, theme, hash } = useData();
  const currentLang = computed(() => ({
    label: site.value.locales[localeIndex.value]?.label,
    link:
      site.value.locales[localeIndex.value]?.link || (localeIndex.value === 'root' ? '/' : `/${localeIndex.value}/`),
  }));
  const localeLinks = computed(() =>
    Object.entries(site.value.locales).flatMap(([key, value]) => {
      if (currentLang.value.label === value.label) return [];
      const base = value.link || (key === 'root' ? '/' : `/${key}/`);
      const rel = page.value.relativePath.slice(currentLang.value.link.length - 1);
      const samePage = theme.value.i18nRouting !== false && correspondingLink && !rel.startsWith('api/');
      return [
        { text: value.label ?? key, link: normalizeLink(base, samePage, rel, !site.value.cleanUrls) + hash.value },
      ];
    }),
  );
  return { localeLinks, currentLang };
}

/** @param {string} link @param {boolean} addPath @param {string} path @param {boolean} addExt */
function normalizeLink(link, addPath, path, addExt) {
  if (!addPath) return link;
  const p = path.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, addExt ? '.html' : '');
  return link.replace(/\/$/, '') + (p.startsWith('/') ? p : `/${p}`);
}
