/** A personal contact (Outlook contacts folder). */
export interface Contact {
  id: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  emails: string[];
  mobilePhone?: string;
  businessPhones: string[];
  companyName?: string;
  jobTitle?: string;
}

/** Fields a create or update sets; absent fields stay as they are. */
export interface ContactFields {
  givenName?: string;
  surname?: string;
  displayName?: string;
  emails?: string[];
  mobilePhone?: string;
  businessPhones?: string[];
  companyName?: string;
  jobTitle?: string;
}

/** Someone the user works with, ranked by Microsoft Graph's relevance (/me/people). */
export interface Person {
  displayName: string;
  emails: string[];
  jobTitle?: string;
  companyName?: string;
  department?: string;
}
