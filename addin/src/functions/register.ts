import { lookup, rows, use } from './declarations';
import { FunctionFailure, SheetFunctions, type FunctionDeps } from './sheet-functions';

/**
 * The part of Excel's `CustomFunctions` global the add-in uses (CustomFunctionsRuntime 1.2+). Typed
 * here rather than through @types/custom-functions-runtime: three members do not warrant a package.
 */
export interface CustomFunctionsApi {
  associate(id: string, fn: (...args: never[]) => unknown): void;
  Error: new (code: string, message?: string) => Error;
  ErrorCode: { notAvailable: string; invalidValue: string };
}

/** The `CustomFunctions` global where Excel (or a test) provides it. */
export function customFunctionsApi(): CustomFunctionsApi | null {
  const api = (globalThis as { CustomFunctions?: Partial<CustomFunctionsApi> }).CustomFunctions;
  return typeof api?.associate === 'function' ? (api as CustomFunctionsApi) : null;
}

/** Registers LOOKUP and ROWS; every failure reaches Excel as its error with the pane's plain message. */
export function registerFunctions(api: CustomFunctionsApi, deps: FunctionDeps): void {
  use(new SheetFunctions(deps));
  const excelError = (error: unknown) => {
    const failure = error instanceof FunctionFailure ? error : new FunctionFailure('invalidValue', String(error));
    return new api.Error(api.ErrorCode[failure.kind], failure.message);
  };
  api.associate('LOOKUP', (...args: Parameters<typeof lookup>) =>
    lookup(...args).catch((error: unknown) => {
      throw excelError(error);
    }),
  );
  api.associate('ROWS', (...args: Parameters<typeof rows>) =>
    rows(...args).catch((error: unknown) => {
      throw excelError(error);
    }),
  );
}
