/** The three Fluent themes the tab has, named after Teams' theme names. */
export type ThemeKind = 'light' | 'dark' | 'contrast';

/** Teams' theme names for the tab's themes (what `app.registerOnThemeChangeHandler` passes). */
export const TEAMS_THEME_NAMES: Record<ThemeKind, string> = { light: 'default', dark: 'dark', contrast: 'contrast' };

/** The theme to show for a Teams theme name: `default`, `dark`, `contrast`; anything newer (e.g. `glass`) or missing is light. */
export function themeKindOf(teamsTheme: string | null | undefined): ThemeKind {
  switch ((teamsTheme ?? '').trim().toLowerCase()) {
    case 'dark':
      return 'dark';
    case 'contrast':
      return 'contrast';
    default:
      return 'light';
  }
}
