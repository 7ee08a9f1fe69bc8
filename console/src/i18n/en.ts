/** The console's own words in English. Every key here must also be in es.ts (a test compares them). */
export const en = {
  app: {
    title: "Backoffice",
    locale: { label: "Language", en: "English", es: "Español" },
    menu: {
      home: "Home",
      self: "My work",
      hr: "HR",
      profile: "My profile",
      manager: "My team",
      payroll: "Payroll and accounting",
      it: "IT desk",
      office: "Office",
      admin: "Administration",
    },
    login: {
      title: "Sign in to Backoffice",
      login: "Login",
      password: "Password",
      submit: "Sign in",
      activate: "First time here? Set your password with the activation code HR gave you",
      reset: "Got a password reset code? Set a new password",
      failed: "Sign-in failed",
    },
    activation: {
      title: "Set your first password",
      reset_title: "Set a new password",
      token: "Code from HR",
      password: "New password",
      confirm: "New password again",
      mismatch: "The two passwords differ",
      submit: "Set password",
      done: "Your password is set: sign in with it",
      back: "Back to sign-in",
    },
    password: {
      title: "Change my password",
      current: "Current password",
      new: "New password",
      confirm: "New password again",
      submit: "Change password",
      done: "Password changed: sign in again with the new one",
    },
    profile: {
      title: "My profile",
      login: "Login",
      email: "E-mail",
      roles: "Roles",
      employee: "Employee record",
      no_employee: "This login is not linked to an employee record.",
    },
    reauth: {
      title: "Your session has ended",
      explain: "Sign in again to go on: what you typed on this screen is kept.",
      leave: "Go to the sign-in page",
      done: "Signed in again: save or send once more",
    },
    not_found: {
      title: "Nothing here",
      explain: "This address has no screen, or your roles do not open it.",
      home: "Back to the start",
    },
    home: {
      welcome: "Welcome, %{name}",
      intro: "What you can do here follows your roles: %{roles}.",
    },
    roles: {
      employee: "employee",
      manager: "manager",
      hr: "HR officer",
      payroll: "payroll clerk",
      it_agent: "IT agent",
      office: "office clerk",
      admin: "administrator",
    },
    parts: { hr: "HR", payroll: "payroll", helpdesk: "IT desk", docs: "documents" },
    states: {
      loading: "Loading…",
      empty: "Nothing here yet.",
      error: "This could not be loaded: %{message}",
      unavailable: "The %{part} service is unavailable right now; the rest of the console still works.",
    },
    actions: { confirm: "Confirm", cancel: "Cancel", retry: "Try again" },
  },

};

export type Messages = typeof en;
