export interface Config {
  permission?: {
    flagstage?: {
      /**
       * Catalog groups holding each Flagstage role. A user holds a role when
       * one of these refs is among their ownership refs (their groups).
       */
      roles?: {
        /** Everything. Default: ['group:default/ctf-admins'] */
        admin?: string[];
        /** Manage challenges. Default: ['group:default/ctf-authors'] */
        author?: string[];
        /** Instances, gateway, workflows, logs. Default: ['group:default/ctf-operators'] */
        operator?: string[];
      };
    };
  };
}
