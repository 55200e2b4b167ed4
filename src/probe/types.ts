// Facts from the wire-level probe (issue: live diagnosis). Filled by src/probe/.

export interface ServerFacts {
  endpoints: EndpointFacts[];
}

export interface EndpointFacts {
  host: string;
  port: number;
  address?: string;
}
