import { nameInitials } from './messaging.model';

describe('nameInitials', () => {
  it.each([
    ['Ana Ribeiro', 'AR'],
    ['Ana (VIP order)', 'AV'],
    ['Ana – wholesale', 'AW'],
    ['  émile   zola  ', 'ÉZ'],
    ['Cher', 'C'],
    ['+351 912 345', '39'],
    ['🙂 Bea', 'B'],
    ['— ()', '#'],
    ['', '#'],
  ])('%j → %s', (name, initials) => {
    expect(nameInitials(name)).toBe(initials);
  });
});
