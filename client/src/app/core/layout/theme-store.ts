import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';

export type Theme = 'light' | 'dark';

/** Keep in sync with public/theme-init.js, which applies the theme before Angular starts. */
export const THEME_KEY = 'nolose.theme';

/**
 * Light or dark: follows the system preference until the operator picks one with the
 * toggle; the pick is saved in localStorage. Applied as a `dark` class on <html>, which
 * Tailwind's `dark:` variant reads (styles.css).
 */
@Injectable({ providedIn: 'root' })
export class ThemeStore {
  private readonly document = inject(DOCUMENT);
  private readonly media = this.document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');

  private readonly savedState = signal<Theme | null>(readSaved());
  private readonly systemDark = signal(this.media?.matches ?? false);

  /** The theme in effect. */
  readonly theme = computed<Theme>(
    () => this.savedState() ?? (this.systemDark() ? 'dark' : 'light'),
  );
  readonly isDark = computed(() => this.theme() === 'dark');

  constructor() {
    const onChange = (event: MediaQueryListEvent): void => this.systemDark.set(event.matches);
    this.media?.addEventListener('change', onChange);
    inject(DestroyRef).onDestroy(() => this.media?.removeEventListener('change', onChange));
    effect(() => this.document.documentElement.classList.toggle('dark', this.isDark()));
  }

  toggle(): void {
    const next: Theme = this.isDark() ? 'light' : 'dark';
    this.savedState.set(next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this tab.
    }
  }
}

function readSaved(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}
