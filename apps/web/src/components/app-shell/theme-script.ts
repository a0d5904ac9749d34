// Not a client module: the root layout (a server component) inlines this string.
export const THEME_STORAGE_KEY = 'baton.theme';

/**
 * Runs before the first paint (inlined in <head>) so a dark-theme user never sees a white flash:
 * the stored choice, else the system's.
 */
export const themeBootScript = `(function(){try{var t=localStorage.getItem('${THEME_STORAGE_KEY}');if(t!=='light'&&t!=='dark'){t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}document.documentElement.dataset.theme=t}catch(e){}})()`;
