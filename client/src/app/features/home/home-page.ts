import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Logo } from '../../shared/ui/logo';
import { ThemeToggle } from '../../shared/ui/theme-toggle';

/** Public landing page (SPEC: `/` Home). */
@Component({
  selector: 'nl-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, Logo, ThemeToggle],
  templateUrl: './home-page.html',
  host: { class: 'block' },
})
export class HomePage {
  protected readonly year = new Date().getFullYear();
}
