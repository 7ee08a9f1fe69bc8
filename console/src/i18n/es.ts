/** Las palabras de la consola en español. Cada clave de en.ts debe estar aquí (una prueba las compara). */
import type { Messages } from "./en";

export const es: Messages = {
  app: {
    title: "Backoffice",
    locale: { label: "Idioma", en: "English", es: "Español" },
    menu: {
      home: "Inicio",
      self: "Mi trabajo",
      hr: "RR. HH.",
      profile: "Mi perfil",
      manager: "Mi equipo",
      payroll: "Nóminas y contabilidad",
      it: "Soporte informático",
      office: "Oficina",
      admin: "Administración",
    },
    login: {
      title: "Acceder a Backoffice",
      login: "Usuario",
      password: "Contraseña",
      submit: "Acceder",
      activate: "¿Primera vez? Elija su contraseña con el código de activación que le dio RR. HH.",
      reset: "¿Tiene un código para restablecer la contraseña? Elija una nueva",
      failed: "No se pudo acceder",
    },
    activation: {
      title: "Elija su primera contraseña",
      reset_title: "Elija una nueva contraseña",
      token: "Código de RR. HH.",
      password: "Nueva contraseña",
      confirm: "Repita la nueva contraseña",
      mismatch: "Las dos contraseñas no coinciden",
      submit: "Guardar contraseña",
      done: "Su contraseña está guardada: acceda con ella",
      back: "Volver al acceso",
    },
    password: {
      title: "Cambiar mi contraseña",
      current: "Contraseña actual",
      new: "Nueva contraseña",
      confirm: "Repita la nueva contraseña",
      submit: "Cambiar contraseña",
      done: "Contraseña cambiada: vuelva a acceder con la nueva",
    },
    profile: {
      title: "Mi perfil",
      login: "Usuario",
      email: "Correo electrónico",
      roles: "Funciones",
      employee: "Ficha de empleado",
      no_employee: "Este usuario no está vinculado a una ficha de empleado.",
    },
    reauth: {
      title: "Su sesión ha terminado",
      explain: "Vuelva a acceder para continuar: lo que escribió en esta pantalla se conserva.",
      leave: "Ir a la página de acceso",
      done: "Ha vuelto a acceder: guarde o envíe de nuevo",
    },
    not_found: {
      title: "Aquí no hay nada",
      explain: "Esta dirección no tiene pantalla, o sus funciones no le dan acceso.",
      home: "Volver al inicio",
    },
    home: {
      welcome: "Hola, %{name}",
      intro: "Lo que puede hacer aquí depende de sus funciones: %{roles}.",
    },
    roles: {
      employee: "empleado",
      manager: "responsable",
      hr: "técnico de RR. HH.",
      payroll: "administrativo de nóminas",
      it_agent: "técnico de informática",
      office: "administrativo de oficina",
      admin: "administrador",
    },
    parts: { hr: "RR. HH.", payroll: "nóminas", helpdesk: "soporte informático", docs: "documentos" },
    states: {
      loading: "Cargando…",
      empty: "Aún no hay nada aquí.",
      error: "No se pudo cargar: %{message}",
      unavailable: "El servicio de %{part} no está disponible ahora; el resto de la consola sigue funcionando.",
    },
    actions: { confirm: "Confirmar", cancel: "Cancelar", retry: "Reintentar" },
  },

};
