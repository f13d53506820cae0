import { describe, expect, it } from 'vitest';
import { customerText, noteText, titleFrom } from '../../../bot/lgd/client/note-text.js';

describe('noteText', () => {
  it('says on whose behalf the service account writes', () => {
    expect(noteText('Approved', 'Jane Smith')).toBe('Approved — Jane Smith via Teams');
  });

  it('puts a detail in its own paragraph', () => {
    expect(noteText('Project', 'Jane Smith', '  Needs a business case.  ')).toBe(
      'Project — Jane Smith via Teams\n\nNeeds a business case.',
    );
  });

  it('keeps the name on one line', () => {
    expect(noteText('Approved', ' Jane\n  Smith ')).toBe('Approved — Jane Smith via Teams');
  });

  it('refuses a note that names nobody', () => {
    expect(() => noteText('Approved', '  ')).toThrow(RangeError);
  });
});

describe('titleFrom', () => {
  it('takes the first line, shortened', () => {
    expect(titleFrom('Approved\nmore')).toBe('Approved');
    expect(titleFrom('x'.repeat(120), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('customerText: what the customer reads', () => {
  it('is the person\'s text and one sign-off, nothing internal', () => {
    expect(customerText('We are on it.', 'Jane Smith')).toBe('We are on it.\n\n— Jane Smith, LGSS IT Digital');
    expect(customerText('  Fixed.\n', ' Jane\n Smith ', 'Digital Services')).toBe('Fixed.\n\n— Jane Smith, Digital Services');
    expect(customerText('We are on it.', 'Jane Smith')).not.toMatch(/via Teams|ref /);
  });

  it('does not sign twice a text that already ends with the same sign-off', () => {
    const signed = 'We are closing this ticket. — Jane Smith, LGSS IT Digital';
    expect(customerText(signed, 'Jane Smith')).toBe(signed);
    expect(customerText('Done.\n\n- jane smith, lgss it digital', 'Jane Smith')).toBe('Done.\n\n- jane smith, lgss it digital');
    expect(customerText('Signed by Bob — Bob, LGSS IT Digital', 'Jane Smith')).toBe('Signed by Bob — Bob, LGSS IT Digital\n\n— Jane Smith, LGSS IT Digital');
  });

  it('refuses a message that names nobody', () => {
    expect(() => customerText('Hello', ' ')).toThrow(RangeError);
  });
});
