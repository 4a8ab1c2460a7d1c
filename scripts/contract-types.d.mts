export const GENERATED_DIR: string;
export function generateContractTypes(contract: string): Promise<Map<string, string>>;
export function generateAll(): Promise<Map<string, string>>;
