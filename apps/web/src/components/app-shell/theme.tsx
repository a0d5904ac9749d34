'use client';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

export type Theme = 'light' | 'dark';
import { THEME_STORAGE_KEY as STORAGE_KEY } from './theme-script';

const ThemeContext = createContext<{ theme: Theme; toggle: () => void; set: (t: Theme) => void }>({ theme: 'light', toggle: () => {}, set: () => {} });

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setTheme] = useState<Theme>('light');
  useEffect(() => {
    setTheme(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  }, []);
  const set = useCallback((t: Theme) => {
    setTheme(t);
    document.documentElement.dataset.theme = t;
    try {
      localStorage.setItem(STORAGE_KEY, t);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  const toggle = useCallback(() => set(theme === 'dark' ? 'light' : 'dark'), [set, theme]);
  return <ThemeContext.Provider value={{ theme, toggle, set }}>{children}</ThemeContext.Provider>;
}

export const useTheme = () => useContext(ThemeContext);
