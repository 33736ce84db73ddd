import Foundation
import GRPCCore
import TradeAPI
import TradeCore

/// tradeengine.v1.QueryService: read-only views of the host's state, with
/// validated paging and filters.
struct QueryServiceHandler: Tradeengine_V1_QueryService.SimpleServiceProtocol {
    let host: any EngineHosting
    let audit: any AuditLog

    func getStatus(request: Tradeengine_V1_GetStatusRequest, context: ServerContext) async throws -> Tradeengine_V1_GetStatusResponse {
        var response = Tradeengine_V1_GetStatusResponse()
        response.status = StatusMapping.status(await host.status())
        return response
    }

    func listModels(request: Tradeengine_V1_ListModelsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListModelsResponse {
        var response = Tradeengine_V1_ListModelsResponse()
        response.models = await host.status().models.map(StatusMapping.model)
        return response
    }

    func listPositions(request: Tradeengine_V1_ListPositionsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListPositionsResponse {
        var symbol: String?
        if !request.symbol.isEmpty {
            symbol = try RequestValidation.symbol(request.symbol, catalog: await host.catalog(), field: "symbol")
        }
        var response = Tradeengine_V1_ListPositionsResponse()
        response.positions = await host.positions().filter { symbol == nil || $0.symbol == symbol }.map(RecordMapping.position)
        return response
    }

    func listOrders(request: Tradeengine_V1_ListOrdersRequest, context: ServerContext) async throws -> Tradeengine_V1_ListOrdersResponse {
        let query = try await recordQuery(request.page, request.filter, request.hasFilter)
        var statuses = Set<OrderStatus>()
        for s in request.statuses {
            guard let status = EnumMapping.orderStatus(s) else { throw RequestValidation.invalid("statuses contains \(s), which is not an order status") }
            statuses.insert(status)
        }
        let page: RecordPage<OrderRecord>
        do { page = try await host.orders(query, statuses: statuses) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListOrdersResponse()
        response.orders = page.items.map(RecordMapping.order)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listTrades(request: Tradeengine_V1_ListTradesRequest, context: ServerContext) async throws -> Tradeengine_V1_ListTradesResponse {
        let query = try await recordQuery(request.page, request.filter, request.hasFilter)
        let page: RecordPage<TradeRecord>
        do { page = try await host.trades(query) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListTradesResponse()
        response.trades = page.items.map(RecordMapping.trade)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listSignals(request: Tradeengine_V1_ListSignalsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListSignalsResponse {
        let query = try await recordQuery(request.page, request.filter, request.hasFilter)
        var outcome: SignalOutcome?
        if request.outcome != .unspecified {
            guard let o = EnumMapping.outcome(request.outcome) else { throw RequestValidation.invalid("outcome \(request.outcome) is not a signal outcome") }
            outcome = o
        }
        let page: RecordPage<SignalRecord>
        do { page = try await host.signals(query, outcome: outcome) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListSignalsResponse()
        response.signals = page.items.map(RecordMapping.signal)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func getPerformance(request: Tradeengine_V1_GetPerformanceRequest, context: ServerContext) async throws -> Tradeengine_V1_GetPerformanceResponse {
        var model: String?
        if !request.model.isEmpty { model = try RequestValidation.model(request.model, catalog: await host.catalog(), field: "model") }
        var response = Tradeengine_V1_GetPerformanceResponse()
        response.models = await host.performance().filter { model == nil || $0.model == model }.map(RecordMapping.performance)
        return response
    }

    func getRisk(request: Tradeengine_V1_GetRiskRequest, context: ServerContext) async throws -> Tradeengine_V1_GetRiskResponse {
        var response = Tradeengine_V1_GetRiskResponse()
        response.risk = RecordMapping.risk(await host.risk())
        return response
    }

    func getParameters(request: Tradeengine_V1_GetParametersRequest, context: ServerContext) async throws -> Tradeengine_V1_GetParametersResponse {
        guard request.version >= 0 else { throw RequestValidation.invalid("version must be ≥ 0 (0 = active), got \(request.version)") }
        let record: ParameterSetRecord
        do { record = try await host.parameters(version: request.version == 0 ? nil : request.version) }
        catch { throw error.rpcError }
        var response = Tradeengine_V1_GetParametersResponse()
        response.parameters = RecordMapping.parameterSet(record)
        return response
    }

    func listParameterVersions(request: Tradeengine_V1_ListParameterVersionsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListParameterVersionsResponse {
        let (offset, limit, _) = try RequestValidation.paging(request.page)
        let all = await host.parameterHistory()
        let page = RecordPage(items: Array(all.dropFirst(offset).prefix(limit)), total: all.count, offset: offset)
        var response = Tradeengine_V1_ListParameterVersionsResponse()
        response.versions = page.items.map(RecordMapping.parameterSet)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listAuditLog(request: Tradeengine_V1_ListAuditLogRequest, context: ServerContext) async throws -> Tradeengine_V1_ListAuditLogResponse {
        let (offset, limit, _) = try RequestValidation.paging(request.page)
        var query = AuditQuery(offset: offset, limit: limit)
        if request.hasFilter {
            let f = request.filter
            guard f.symbol.isEmpty, f.model.isEmpty else {
                throw RequestValidation.invalid("the audit log is filtered by time, caller and method; filter.symbol and filter.model must be empty")
            }
            if f.hasFrom { query.from = Date(timeIntervalSince1970: Double(try RequestValidation.time(f.from, field: "filter.from")) / 1000) }
            if f.hasTo { query.to = Date(timeIntervalSince1970: Double(try RequestValidation.time(f.to, field: "filter.to")) / 1000) }
            if let from = query.from, let to = query.to, from >= to { throw RequestValidation.invalid("filter.from must be before filter.to") }
        }
        if !request.caller.isEmpty { query.caller = request.caller }
        if !request.method.isEmpty { query.method = request.method }
        let page = await audit.entries(query)
        var response = Tradeengine_V1_ListAuditLogResponse()
        response.entries = page.items.map(RecordMapping.audit)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listCandles(request: Tradeengine_V1_ListCandlesRequest, context: ServerContext) async throws -> Tradeengine_V1_ListCandlesResponse {
        let query = try await recordQuery(request.page, request.filter, request.hasFilter)
        guard query.symbol != nil else { throw RequestValidation.invalid("filter.symbol is required for candles") }
        let page: RecordPage<CandleRecord>
        do { page = try await host.candles(query) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListCandlesResponse()
        response.candles = page.items.map(RecordMapping.candle)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listRuns(request: Tradeengine_V1_ListRunsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListRunsResponse {
        let (offset, limit, _) = try RequestValidation.paging(request.page)
        let page: RecordPage<RunSummary>
        do { page = try await host.runs(offset: offset, limit: limit) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListRunsResponse()
        response.runs = page.items.map(RecordMapping.run)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    func listVenues(request: Tradeengine_V1_ListVenuesRequest, context: ServerContext) async throws -> Tradeengine_V1_ListVenuesResponse {
        var response = Tradeengine_V1_ListVenuesResponse()
        response.venues = await host.venues().map(StatusMapping.venue)
        return response
    }

    func listBreakerTransitions(request: Tradeengine_V1_ListBreakerTransitionsRequest, context: ServerContext) async throws -> Tradeengine_V1_ListBreakerTransitionsResponse {
        guard request.run >= 0 else { throw RequestValidation.invalid("run must be ≥ 1 (or 0 for the current run), got \(request.run)") }
        let query = try await recordQuery(request.page, request.filter, request.hasFilter)
        let page: RecordPage<BreakerTransitionRecord>
        do { page = try await host.breakerTransitions(query, run: request.run == 0 ? nil : request.run) } catch { throw error.rpcError }
        var response = Tradeengine_V1_ListBreakerTransitionsResponse()
        response.transitions = page.items.map(RecordMapping.breakerTransition)
        response.page = RecordMapping.pageInfo(page)
        return response
    }

    private func recordQuery(_ page: Tradeengine_V1_PageRequest, _ filter: Tradeengine_V1_ListFilter, _ hasFilter: Bool) async throws(RPCError) -> RecordQuery {
        try RequestValidation.query(page: page, filter: filter, hasFilter: hasFilter, catalog: await host.catalog())
    }
}
