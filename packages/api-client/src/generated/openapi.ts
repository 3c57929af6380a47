/**
 * Generated from the server's /openapi.json by `npm run gen:api-client` (tools/gen-api-client.ts).
 * Do not edit: a test fails when this file differs from what the routes' schemas produce.
 */
/* eslint-disable */
export interface paths {
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/discovery/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/discovery/v2.0/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an access token (client credentials) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": {
                        client_id: string;
                        /** Format: password */
                        client_secret: string;
                        /** @enum {string} */
                        grant_type: "client_credentials";
                        /** @example https://api.securitycenter.microsoft.com/.default */
                        scope?: string;
                    };
                };
            };
            responses: {
                /** @description The access token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Seconds */
                            expires_in: number;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
            };
        };
        put?: never;
        /** Get an access token (client credentials) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": {
                        client_id: string;
                        /** Format: password */
                        client_secret: string;
                        /** @enum {string} */
                        grant_type: "client_credentials";
                        /** @example https://api.securitycenter.microsoft.com/.default */
                        scope?: string;
                    };
                };
            };
            responses: {
                /** @description The access token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Seconds */
                            expires_in: number;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/oauth2/v2.0/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Get an access token (client credentials) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": {
                        client_id: string;
                        /** Format: password */
                        client_secret: string;
                        /** @enum {string} */
                        grant_type: "client_credentials";
                        /** @example https://api.securitycenter.microsoft.com/.default */
                        scope?: string;
                    };
                };
            };
            responses: {
                /** @description The access token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Seconds */
                            expires_in: number;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{tenantId}/v2.0/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenantId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alerts
         * @description Application permissions: (Alert.Read.All, Alert.ReadWrite.All). Delegated permissions: (Alert.Read, Alert.ReadWrite).
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get alert
         * @description Application permissions: (Alert.Read.All, Alert.ReadWrite.All). Delegated permissions: (Alert.Read, Alert.ReadWrite).
         */
        get: operations["getAlert"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update alert
         * @description Application permissions: (Alert.ReadWrite.All). Delegated permissions: (Alert.ReadWrite).
         */
        patch: operations["updateAlert"];
        trace?: never;
    };
    "/api/cordon/agentPackages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an agent package (Cordon extension)
         * @description Application permissions: (Machine.ReadWrite.All). Delegated permissions: (Machine.ReadWrite).
         */
        post: operations["createAgentPackage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream cordon events
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["streamCordonEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List live sessions
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["listLiveSessions"];
        put?: never;
        /**
         * Open live session
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        post: operations["openLiveSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get live session
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["getLiveSession"];
        put?: never;
        post?: never;
        /**
         * Close live session
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        delete: operations["closeLiveSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List live session commands
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["listLiveSessionCommands"];
        put?: never;
        /**
         * Run live session command
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        post: operations["runLiveSessionCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/commands/{cid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get live session command
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["getLiveSessionCommand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/commands/{cid}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel live session command
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        post: operations["cancelLiveSessionCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/commands/{cid}/output": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get live session command output
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["getLiveSessionCommandOutput"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream live session events
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["streamLiveSessionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/liveresponse/sessions/{id}/transcript": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get live session transcript
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["getLiveSessionTranscript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cordon/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get cordon settings
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["getCordonSettings"];
        /**
         * Update cordon settings
         * @description Application permissions: (Machine.ReadWrite.All). Delegated permissions: (Machine.ReadWrite).
         */
        put: operations["updateCordonSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/investigations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List investigations
         * @description Application permissions: (Alert.Read.All, Alert.ReadWrite.All). Delegated permissions: (Alert.Read, Alert.ReadWrite).
         */
        get: operations["listInvestigations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/investigations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get investigation
         * @description Application permissions: (Alert.Read.All, Alert.ReadWrite.All). Delegated permissions: (Alert.Read, Alert.ReadWrite).
         */
        get: operations["getInvestigation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/investigations/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve investigation
         * @description Application permissions: (Machine.StopAndQuarantine) and (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.StopAndQuarantine).
         */
        post: operations["approveInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/investigations/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject investigation
         * @description Application permissions: (Machine.StopAndQuarantine) and (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.StopAndQuarantine).
         */
        post: operations["rejectInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/libraryfiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List library files
         * @description Application permissions: (Library.Manage). Delegated permissions: (Library.Manage, Machine.Read, Machine.ReadWrite).
         */
        get: operations["listLibraryFiles"];
        put?: never;
        /**
         * Upload library file
         * @description Application permissions: (Library.Manage). Delegated permissions: (Library.Manage).
         */
        post: operations["uploadLibraryFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/libraryfiles/{fileName}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete library file
         * @description Application permissions: (Library.Manage). Delegated permissions: (Library.Manage).
         */
        delete: operations["deleteLibraryFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/libraryfiles/{fileName}/downloadLink": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get library file download link
         * @description Application permissions: (Library.Manage). Delegated permissions: (Library.Manage, Machine.Read, Machine.ReadWrite).
         */
        get: operations["getLibraryFileDownloadLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machineactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List machine actions
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["listMachineActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machineactions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get machine action
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["getMachineAction"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machineactions/{id}/{fn}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get live response result download link
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.LiveResponse).
         */
        get: operations["getLiveResponseResultDownloadLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machineactions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel machine action
         * @description Application permissions: (Machine.CollectForensics, Machine.Isolate, Machine.RestrictExecution, Machine.Scan, Machine.Offboard, Machine.StopAndQuarantine, Machine.LiveResponse). Delegated permissions: (Machine.CollectForensics, Machine.Isolate, Machine.RestrictExecution, Machine.Scan, Machine.Offboard, Machine.StopAndQuarantine, Machine.LiveResponse).
         */
        post: operations["cancelMachineAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machineactions/{id}/getPackageUri": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get package uri
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.CollectForensics).
         */
        get: operations["getPackageUri"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List machines
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["listMachines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get machine
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["getMachine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update machine
         * @description Application permissions: (Machine.ReadWrite.All). Delegated permissions: (Machine.ReadWrite).
         */
        patch: operations["updateMachine"];
        trace?: never;
    };
    "/api/machines/{id}/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List machine alerts
         * @description Application permissions: (Alert.Read.All, Alert.ReadWrite.All). Delegated permissions: (Alert.Read, Alert.ReadWrite).
         */
        get: operations["listMachineAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/collectInvestigationPackage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Collect investigation package
         * @description Application permissions: (Machine.CollectForensics). Delegated permissions: (Machine.CollectForensics).
         */
        post: operations["collectInvestigationPackage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/isolate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Isolate
         * @description Application permissions: (Machine.Isolate). Delegated permissions: (Machine.Isolate).
         */
        post: operations["isolate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/logonusers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List logon users
         * @description Application permissions: (User.Read.All). Delegated permissions: (User.Read.All).
         */
        get: operations["listLogonUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/offboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Offboard
         * @description Application permissions: (Machine.Offboard). Delegated permissions: (Machine.Offboard).
         */
        post: operations["offboard"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/restoreQuarantinedFile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore quarantined file
         * @description Application permissions: (Machine.StopAndQuarantine) and (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.StopAndQuarantine).
         */
        post: operations["restoreQuarantinedFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/restrictCodeExecution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restrict code execution
         * @description Application permissions: (Machine.RestrictExecution). Delegated permissions: (Machine.RestrictExecution).
         */
        post: operations["restrictCodeExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/runAntiVirusScan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run anti virus scan
         * @description Application permissions: (Machine.Scan). Delegated permissions: (Machine.Scan).
         */
        post: operations["runAntiVirusScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/runliveresponse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run live response
         * @description Application permissions: (Machine.LiveResponse). Delegated permissions: (Machine.LiveResponse).
         */
        post: operations["runLiveResponse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/startInvestigation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start investigation
         * @description Application permissions: (Alert.ReadWrite.All). Delegated permissions: (Alert.ReadWrite).
         */
        post: operations["startInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/StopAndQuarantineFile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop and quarantine file
         * @description Application permissions: (Machine.StopAndQuarantine) and (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.StopAndQuarantine).
         */
        post: operations["stopAndQuarantineFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add or remove tag
         * @description Application permissions: (Machine.ReadWrite.All). Delegated permissions: (Machine.ReadWrite).
         */
        post: operations["addOrRemoveTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get machine timeline
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["getMachineTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/unisolate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unisolate
         * @description Application permissions: (Machine.Isolate). Delegated permissions: (Machine.Isolate).
         */
        post: operations["unisolate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/{id}/unrestrictCodeExecution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unrestrict code execution
         * @description Application permissions: (Machine.RestrictExecution). Delegated permissions: (Machine.RestrictExecution).
         */
        post: operations["unrestrictCodeExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/AddOrRemoveTagForMultipleMachines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add or remove tag for multiple machines
         * @description Application permissions: (Machine.ReadWrite.All). Delegated permissions: (Machine.ReadWrite).
         */
        post: operations["addOrRemoveTagForMultipleMachines"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/machines/findbytag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find machines by tag
         * @description Application permissions: (Machine.Read.All, Machine.ReadWrite.All). Delegated permissions: (Machine.Read, Machine.ReadWrite).
         */
        get: operations["findMachinesByTag"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cordon/agent-install/{secret}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                    secret: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/discovery/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/discovery/v2.0/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/downloads/{blobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    blobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    machineId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/session/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Error */
        Error: {
            error: {
                code: "BadRequest" | "ODataError" | "InvalidInput" | "InvalidRequestBody" | "InvalidHashValue" | "InvalidDomainName" | "InvalidIpAddress" | "InvalidUrl" | "MaximumBatchSizeExceeded" | "MissingRequiredParameter" | "OsPlatformNotSupported" | "ClientVersionNotSupported" | "ActiveRequestAlreadyExists" | "ActionAlreadyCompleted" | "InvalidRequest" | "Unauthorized" | "Forbidden" | "DisabledFeature" | "DisallowedOperation" | "DeviceNotConnected" | "NotFound" | "ResourceNotFound" | "MethodNotAllowed" | "RequestTimeout" | "PayloadTooLarge" | "UnsupportedMediaType" | "TooManyRequests" | "RequestHeaderFieldsTooLarge" | "InternalServerError" | "ServiceUnavailable";
                message: string;
                /** @description Request id, also in the server log */
                target: string;
            };
        };
        LibraryFile: {
            createdBy: string;
            creationTime: string;
            description: string | null;
            fileName: string;
            hasParameters: boolean;
            lastUpdatedTime: string;
            parametersDescription?: string | null;
            sha256: string;
            /** @description Cordon extension: the content size in bytes */
            size?: number;
        };
        /** Machine */
        Machine: {
            aadDeviceId: string | null;
            agentVersion: string | null;
            avSignatureSources: string[] | null;
            capabilities: string[];
            computerDnsName: string;
            defenderAvStatus: string;
            deviceValue: "Normal" | "Low" | "High";
            exposureLevel: "None" | "Low" | "Medium" | "High";
            firstSeen: string;
            healthStatus: "Active" | "Inactive" | "ImpairedCommunication" | "NoSensorData" | "NoSensorDataImpairedCommunication" | "Unknown";
            id: string;
            ipAddresses: {
                ipAddress: string;
                macAddress: string;
                operationalStatus: string;
                type: string;
            }[];
            isAadJoined: boolean;
            isolationState: "NotIsolated" | "Isolated" | "SelectivelyIsolated";
            isRestricted: boolean;
            lastExternalIpAddress: string | null;
            lastIpAddress: string | null;
            lastSeen: string;
            machineTags: string[];
            managedBy: string;
            managedByStatus: string;
            onboardingStatus: "Onboarded" | "CanBeOnboarded" | "Unsupported" | "InsufficientInfo" | "Offboarded";
            osArchitecture: string;
            osBuild: number | null;
            osPlatform: string;
            osProcessor: string;
            osVersion: string | null;
            rbacGroupId: number;
            rbacGroupName: string | null;
            riskScore: "None" | "Informational" | "Low" | "Medium" | "High";
            version: string | null;
            vmMetadata: unknown;
        };
        /** MachineAction */
        MachineAction: {
            cancellationComment: string | null;
            cancellationDateTimeUtc: string | null;
            cancellationRequestor: string | null;
            commands: {
                command: {
                    params: {
                        key: string;
                        value: string;
                    }[];
                    type: "PutFile" | "RunScript" | "GetFile" | "ConsoleCommand";
                };
                commandStatus: "Created" | "InProgress" | "Completed" | "Failed" | "Cancelled";
                endTime: string | null;
                errors: string[];
                /** @description 0-based position in the request */
                index: number;
                startTime: string | null;
            }[];
            computerDnsName: string | null;
            /**
             * @description When the action was requested
             * @example 2019-01-02T14:39:38.2262283Z
             */
            creationDateTimeUtc: string;
            errorHResult: number;
            errorMessage: string | null;
            /**
             * @description Cordon extension: when a Pending action times out
             * @example 2019-01-02T14:39:38.2262283Z
             */
            expirationDateTimeUtc: string;
            externalId: string | null;
            /** @description Action id (GUID) */
            id: string;
            /**
             * @description Last status change
             * @example 2019-01-02T14:39:38.2262283Z
             */
            lastUpdateDateTimeUtc: string;
            /**
             * @description Older name of lastUpdateDateTimeUtc; same value
             * @example 2019-01-02T14:39:38.2262283Z
             */
            lastUpdateTimeUtc: string;
            machineId: string;
            relatedFileInfo: {
                fileIdentifier: string;
                fileIdentifierType: "Sha1" | "Sha256" | "Md5";
            } | null;
            /** @description User or application that issued the action */
            requestor: string;
            requestorComment: string;
            requestSource: string;
            result: {
                [key: string]: unknown;
            } | null;
            scope: string | null;
            status: "Pending" | "InProgress" | "Succeeded" | "Failed" | "TimeOut" | "Cancelled";
            title: string | null;
            troubleshootInfo: unknown;
            type: "RunAntiVirusScan" | "Offboard" | "LiveResponse" | "CollectInvestigationPackage" | "Isolate" | "Unisolate" | "StopAndQuarantineFile" | "RestrictCodeExecution" | "UnrestrictCodeExecution" | "RestoreQuarantinedFile";
        };
        ODataLink: {
            "@odata.context": string;
            /** @description Short-lived download URL */
            value: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAlerts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    updateAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The owner; an empty string unassigns the alert */
                    assignedTo?: string;
                    /** @description TruePositive, InformationalExpectedActivity or FalsePositive */
                    classification?: string;
                    /** @description Appended to the alert's comments */
                    comment?: string;
                    /** @description MDE determination, e.g. Malware, SecurityTesting, NotMalicious, Other */
                    determination?: string;
                    /** @description New, InProgress or Resolved */
                    status?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    createAgentPackage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Hours until the secret (and its downloads) expire */
                    expiresInHours: number;
                    /** @description Devices that may enroll with the secret */
                    maxUses: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        debUrl: string;
                        expiresAt: string;
                        installCommand: string;
                        installScriptUrl: string;
                        maxUses: number;
                        tarUrl: string;
                    };
                };
            };
        };
    };
    streamCordonEvents: {
        parameters: {
            query?: {
                /** @description Only this action; its current state is sent first */
                actionId?: string;
                /** @description Only actions on this machine (its id) */
                machineId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: `retry: 3000`, then `event: action` with a MachineAction as `data` for each created or changed action (the current state of `actionId` first), and a `: ping` comment every 15 s. Ends when the token expires. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
        };
    };
    listLiveSessions: {
        parameters: {
            query?: {
                machineId?: string;
                state?: "Active" | "Closed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    openLiveSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Machine id, computer name or aadDeviceId */
                    machineId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getLiveSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    closeLiveSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listLiveSessionCommands: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    runLiveSessionCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A console command line, e.g. "dir /etc -output json" or "getfile /var/log/syslog &" */
                    commandLine: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getLiveSessionCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The command id (1, 2, 3…) */
                cid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    cancelLiveSessionCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The command id (1, 2, 3…) */
                cid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getLiveSessionCommandOutput: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The command id (1, 2, 3…) */
                cid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The command's output so far */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    streamLiveSessionEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: `retry: 3000`, then every event of the session after `Last-Event-ID` (all without it), each with `id:` = its sequence: `command` (a LiveSessionCommand), `output` ({commandId, text}), `data` ({commandId, columns, rows}), `session` (the LiveSession); a `: ping` every 15 s. Ends after the session closes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
        };
    };
    getLiveSessionTranscript: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The transcript: who, when, every command line, its status, exit code, output or result file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getCordonSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    updateCordonSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    "@odata.context"?: string;
                    executionAllowList?: string[];
                    isolationExceptions?: string[];
                    lastUpdateTime?: string | null;
                    quarantineSearchPaths?: string[];
                    remediationLevel?: "Full" | "None";
                    scanCpuPercent?: number;
                    /** @description Absolute directories (with everything under them) and files that antivirus scans never read */
                    scanExclusions?: string[];
                    scanSignatures?: {
                        hashes?: string[];
                        yara?: string[];
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listInvestigations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    approveInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    rejectInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listLibraryFiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Library files */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example https://cordon.example/api/$metadata#LibraryFiles */
                        "@odata.context": string;
                        /** @description With $count=true */
                        "@odata.count"?: number;
                        /** @description Present when more rows remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: components["schemas"]["LibraryFile"][];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadLibraryFile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    Description?: string;
                    /**
                     * Format: binary
                     * @description The script or file (at most 20 MB)
                     */
                    File: string;
                    HasParameters?: boolean;
                    OverrideIfExists?: boolean;
                    ParametersDescription?: string;
                };
            };
        };
        responses: {
            /** @description The stored library file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryFile"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteLibraryFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                fileName: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLibraryFileDownloadLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                fileName: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A short-lived download link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ODataLink"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMachineActions: {
        parameters: {
            query?: {
                /** @description Adds @odata.count */
                $count?: boolean;
                /** @description OData filter, e.g. status eq 'Pending' */
                $filter?: string;
                /** @description e.g. creationDateTimeUtc desc */
                $orderby?: string;
                /** @description Comma-separated property names */
                $select?: string;
                $skip?: number;
                /** @description Page size (max 10,000) */
                $top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Machine actions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example https://cordon.example/api/$metadata#MachineActions */
                        "@odata.context": string;
                        /** @description With $count=true */
                        "@odata.count"?: number;
                        /** @description Present when more rows remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: components["schemas"]["MachineAction"][];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMachineAction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The machine action */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLiveResponseResultDownloadLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description GetLiveResponseResultDownloadLink(index=N), N the 0-based command index
                 * @example GetLiveResponseResultDownloadLink(index=0)
                 */
                fn: string;
                /** @description LiveResponse action id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A short-lived download link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ODataLink"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelMachineAction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The action, now Cancelled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPackageUri: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A short-lived download link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ODataLink"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMachines: {
        parameters: {
            query?: {
                /** @description Adds @odata.count */
                $count?: boolean;
                /** @description OData filter, e.g. status eq 'Pending' */
                $filter?: string;
                /** @description e.g. creationDateTimeUtc desc */
                $orderby?: string;
                /** @description Comma-separated property names */
                $select?: string;
                $skip?: number;
                /** @description Page size (max 10,000) */
                $top?: number;
                /** @description Cordon extension: true keeps devices whose agentVersion is not this server's release (agents to upgrade) */
                outdatedAgents?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Machines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example https://cordon.example/api/$metadata#Machines */
                        "@odata.context": string;
                        /** @description With $count=true */
                        "@odata.count"?: number;
                        /** @description Present when more rows remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: components["schemas"]["Machine"][];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMachine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The machine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Machine"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateMachine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deviceValue?: "Normal" | "Low" | "High";
                    machineTags?: string[];
                };
            };
        };
        responses: {
            /** @description The machine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Machine"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMachineAlerts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    collectInvestigationPackage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The CollectInvestigationPackage action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    isolate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                    IsolationType?: "Full" | "Selective" | "UnManagedDevice";
                };
            };
        };
        responses: {
            /** @description The Isolate action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listLogonUsers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    offboard: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The Offboard action, usually Pending */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    restoreQuarantinedFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                    Sha1: string;
                };
            };
        };
        responses: {
            /** @description The RestoreQuarantinedFile action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    restrictCodeExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The RestrictCodeExecution action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runAntiVirusScan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                    ScanType: "Quick" | "Full";
                };
            };
        };
        responses: {
            /** @description The RunAntiVirusScan action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runLiveResponse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Commands: {
                        params: {
                            key: string;
                            value: string;
                        }[];
                        type: "PutFile" | "RunScript" | "GetFile";
                    }[];
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The LiveResponse action */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    stopAndQuarantineFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                    Sha1: string;
                };
            };
        };
        responses: {
            /** @description The StopAndQuarantineFile action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addOrRemoveTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Action: "Add" | "Remove";
                    Value: string;
                };
            };
        };
        responses: {
            /** @description The machine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Machine"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMachineTimeline: {
        parameters: {
            query?: {
                /** @description Entries to skip, at most 5000 */
                $skip?: string;
                /** @description Page size, 1-200 (default 50) */
                $top?: string;
                /** @description Comma-separated kinds to keep: action, alert, health, isolation, restriction, tags */
                kind?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The device's actions, alerts and state changes, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        "@odata.context": string;
                        /** @description Present when more entries remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: {
                            actionId?: string;
                            actionType?: string;
                            added?: string[];
                            alertId?: string;
                            from?: string | boolean;
                            kind: "action" | "alert" | "health" | "isolation" | "restriction" | "tags";
                            removed?: string[];
                            requestor?: string;
                            requestorComment?: string;
                            severity?: string;
                            status?: string;
                            time: string;
                            title?: string;
                            to?: string | boolean;
                        }[];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unisolate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The Unisolate action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unrestrictCodeExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Comment: string;
                    ExternalId?: string;
                };
            };
        };
        responses: {
            /** @description The UnrestrictCodeExecution action, usually Pending */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MachineAction"];
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addOrRemoveTagForMultipleMachines: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    Action: "Add" | "Remove";
                    MachineIds: string[];
                    Value: string;
                };
            };
        };
        responses: {
            /** @description Machines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example https://cordon.example/api/$metadata#Machines */
                        "@odata.context": string;
                        /** @description With $count=true */
                        "@odata.count"?: number;
                        /** @description Present when more rows remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: components["schemas"]["Machine"][];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    findMachinesByTag: {
        parameters: {
            query: {
                tag: string;
                useStartsWithFilter?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Machines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example https://cordon.example/api/$metadata#Machines */
                        "@odata.context": string;
                        /** @description With $count=true */
                        "@odata.count"?: number;
                        /** @description Present when more rows remain; follow it as-is */
                        "@odata.nextLink"?: string;
                        value: components["schemas"]["Machine"][];
                    };
                };
            };
            /** @description Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, invalid or expired bearer token (Unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the required permission (Forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource (ResourceNotFound) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limit reached (TooManyRequests); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
