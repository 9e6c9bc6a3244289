import { FormControl } from '@angular/forms';

import { MAX_NAME_LENGTH, nameLength, userNameValidator } from './user-name';

describe('userNameValidator', () => {
  const check = (value: string) => userNameValidator(new FormControl(value));

  it('takes 1 to 200 characters', () => {
    expect(check('A')).toBeNull();
    expect(check('a'.repeat(MAX_NAME_LENGTH))).toBeNull();
    expect(check('a'.repeat(MAX_NAME_LENGTH + 1))).toEqual({
      maxlength: { requiredLength: 200, actualLength: 201 },
    });
  });

  it('checks the trimmed name, which is what the pages send', () => {
    expect(check('  ' + 'a'.repeat(MAX_NAME_LENGTH) + '  ')).toBeNull();
    expect(check('')).toEqual({ required: true });
    expect(check('   ')).toEqual({ required: true });
  });

  it('counts characters as the server does: an emoji is one', () => {
    expect(nameLength('Ada 👋')).toBe(5);
    expect(nameLength('❤️')).toBe(1);
    expect(check('👋'.repeat(MAX_NAME_LENGTH))).toBeNull();
    expect(check('👋'.repeat(MAX_NAME_LENGTH + 1))).not.toBeNull();
  });
});
