import type { FormsMessages } from './forms.ar.js';

export const formsEn: FormsMessages = {
  reasons: {
    required: 'This field is required.',
    too_long: 'This is longer than allowed.',
    too_short: 'This is shorter than allowed.',
    invalid: 'This value is not valid.',
    invalid_email: 'This email address is not valid.',
    invalid_url: 'This address is not valid.',
    invalid_characters: 'This contains characters that are not allowed.',
    must_be_empty: 'This field must stay empty.',
    out_of_range: 'This value is out of range.',
    mismatch: 'The two passwords do not match.',
  },
  fixFields: (n) => (n === 1 ? 'Please correct one field.' : `Please correct ${n} fields.`),
  cancel: 'Cancel',
  confirm: 'Confirm',
  yes: 'Yes',
  no: 'No',
};
