// Subset of axios's index.d.ts: the default instance, create(), request config and response.
declare module 'axios' {
  type RawAxiosRequestHeaders = Record<string, string | number | boolean>;
  interface AxiosRequestConfig<D = any> {
    url?: string;
    method?: 'get' | 'GET' | 'post' | 'POST' | 'put' | 'PUT' | 'patch' | 'PATCH' | 'delete' | 'DELETE';
    baseURL?: string;
    headers?: RawAxiosRequestHeaders;
    params?: any;
    data?: D;
    timeout?: number;
    auth?: { username: string; password: string };
    responseType?: 'arraybuffer' | 'blob' | 'document' | 'json' | 'text' | 'stream';
  }
  interface AxiosResponse<T = any, D = any> {
    data: T;
    status: number;
    statusText: string;
    headers: Record<string, string>;
    config: AxiosRequestConfig<D>;
  }
  class AxiosError<T = unknown, D = any> extends Error {
    config?: AxiosRequestConfig<D>;
    code?: string;
    response?: AxiosResponse<T, D>;
    isAxiosError: boolean;
  }
  interface AxiosInstance {
    defaults: AxiosRequestConfig;
    request<T = any, R = AxiosResponse<T>, D = any>(config: AxiosRequestConfig<D>): Promise<R>;
    get<T = any, R = AxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
    delete<T = any, R = AxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
    post<T = any, R = AxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
    put<T = any, R = AxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
    patch<T = any, R = AxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  }
  interface AxiosStatic extends AxiosInstance {
    create(config?: AxiosRequestConfig): AxiosInstance;
    isAxiosError<T = any, D = any>(payload: any): payload is AxiosError<T, D>;
  }
  const axios: AxiosStatic;
  export { AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse };
  export default axios;
}
