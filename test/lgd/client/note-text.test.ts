import { describe, expect, it } from 'vitest';
import { noteText, titleFrom } from '../../../bot/lgd/client/note-text.js';

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
