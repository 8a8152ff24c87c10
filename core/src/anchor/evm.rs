//! [`Anchor`] on Ethereum-compatible chains, over HTTP JSON-RPC with alloy (feature `evm`).
//!
//! [`EvmNode`] is a blocking client for one node (it owns a single-threaded tokio runtime, so
//! do not call it from inside another async runtime); [`EvmAnchor`] is the anchor registry on
//! it. Transactions are signed locally with an [`EvmKey`]. Anchors count only under the
//! configured [`Finality`]: the node's `finalized` block, or a number of confirmations; every
//! status check also re-reads the node's chain id and the block hash at the anchor's height, so
//! a reorganised or reverted anchor is reported as [`AnchorStatus::Missing`].

use super::{
    origin_key, Anchor, AnchorRecord, AnchorStatus, ChainRef, Finality, HeadReset, Rejection,
};
use crate::error::{AnchorError, DecodeError};
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::Hash;
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, Log, TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolError, SolEvent};
use std::borrow::Cow;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

pub use alloy::rpc::types::BlockNumberOrTag;

/// The compiled `AnchorRegistry` artifact (ABI and bytecode; solc 0.8.37, EVM shanghai),
/// checked in under `contracts/artifacts/` and verified byte-for-byte by the EVM suite.
pub const ANCHOR_REGISTRY_ARTIFACT: &str =
    include_str!("../../../contracts/artifacts/AnchorRegistry.json");
/// The compiled `IssuerRegistry` artifact.
pub const ISSUER_REGISTRY_ARTIFACT: &str =
    include_str!("../../../contracts/artifacts/IssuerRegistry.json");

/// Largest contract bytecode accepted for deployment (EIP-3860 init-code limit).
pub const MAX_INIT_CODE: usize = 49_152;
/// Most origins [`EvmNode::deploy_registry`] allows in one go.
pub const MAX_ORIGINS_PER_CALL: usize = 64;
/// Default span of blocks per `eth_getLogs` query (many public nodes refuse more than 10,000).
pub const DEFAULT_LOG_PAGE_BLOCKS: u64 = 5_000;
/// Default cap on the anchors [`Anchor::anchors`] returns for one origin.
pub const DEFAULT_MAX_ANCHORS: usize = 100_000;
/// Default cap on the `eth_getLogs` queries of one search (so a search from block 0 on a long
/// chain fails with [`AnchorError::Invalid`] instead of running for hours: set the start block).
pub const DEFAULT_MAX_LOG_QUERIES: u64 = 2_000;
/// Longest params text [`EvmNode::raw_request`] accepts (64 KiB).
pub const MAX_RAW_PARAMS: usize = 65_536;

sol! {
    /// The registry's interface (`contracts/src/AnchorRegistry.sol`).
    interface IAnchorRegistry {
        event Anchored(bytes32 indexed origin, uint64 size, bytes32 root, address indexed submitter);
        event HeadReset(bytes32 indexed origin, bytes32 replaced, uint64 size, bytes32 root, address indexed by);
        error NotOwner();
        error NotOriginAdmin(bytes32 origin, address caller);
        error NotSubmitter(address caller);
        error StaleHead();
        error Rollback(uint64 anchoredSize, uint64 size);
        error Duplicate();
        error Fork();
        error EmptyCheckpoint();
        error ZeroAddress();
        error BadReset();
        error NeverAnchored(bytes32 origin, bytes32 head);
        function anchor(bytes32 origin, uint64 prevSize, bytes32 prevRoot, uint64 size, bytes32 root) external;
        function setSubmitter(bytes32 origin, address submitter, bool allowed) external;
        function isSubmitter(bytes32 origin, address who) external view returns (bool);
        function setOriginAdmin(bytes32 origin, address admin) external;
        function originAdmin(bytes32 origin) external view returns (address);
        function head(bytes32 origin) external view returns (bytes32);
        function wasAnchored(bytes32 origin, bytes32 head) external view returns (bool);
        function resetHead(bytes32 origin, bytes32 expectedHead, uint64 size, bytes32 root) external;
        function resetCount(bytes32 origin) external view returns (uint256);
        function resetBlock(bytes32 origin, uint256 i) external view returns (uint256);
        function owner() external view returns (address);
    }

    /// The issuer-root registry's interface (`contracts/src/IssuerRegistry.sol`).
    interface IIssuerRegistry {
        function register(bytes32 root) external;
        function revoke(bytes32 root) external;
        function isValid(address issuer, bytes32 root) external view returns (bool);
    }
}

/// A secp256k1 account key for signing transactions. Redacted in `Debug`, zeroized on drop.
pub struct EvmKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for EvmKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EvmKey(<redacted>)")
    }
}

impl EvmKey {
    /// Parses a 32-byte key in hex (with or without `0x`; surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<EvmKey, AnchorError> {
        let t = text.trim();
        let t = t.strip_prefix("0x").unwrap_or(t);
        if t.len() != 64 {
            return Err(AnchorError::BadKey);
        }
        let mut k = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(t, k.as_mut()).map_err(|_| AnchorError::BadKey)?;
        let key = EvmKey(k);
        key.signer()?;
        Ok(key)
    }

    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<EvmKey, AnchorError> {
        for _ in 0..16 {
            let mut k = Zeroizing::new([0u8; 32]);
            getrandom::getrandom(k.as_mut()).map_err(|_| AnchorError::BadKey)?;
            let key = EvmKey(k);
            if key.signer().is_ok() {
                return Ok(key);
            }
        }
        Err(AnchorError::BadKey)
    }

    /// The key as hex (secret: keep it out of logs).
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// The key from raw bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<EvmKey, AnchorError> {
        let key = EvmKey(Zeroizing::new(*bytes));
        key.signer()?;
        Ok(key)
    }

    fn signer(&self) -> Result<PrivateKeySigner, AnchorError> {
        PrivateKeySigner::from_bytes(&B256::from(*self.0)).map_err(|_| AnchorError::BadKey)
    }

    /// The account address.
    pub fn address(&self) -> Result<[u8; 20], AnchorError> {
        Ok(self.signer()?.address().into_array())
    }
}

/// What a mined transaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxOutcome {
    /// Transaction hash.
    pub tx_hash: [u8; 32],
    /// Including block.
    pub block_number: u64,
    /// Its hash.
    pub block_hash: [u8; 32],
    /// Gas used.
    pub gas_used: u64,
    /// The created contract, for deployments.
    pub contract_address: Option<[u8; 20]>,
}

fn node_err(e: impl std::fmt::Display) -> AnchorError {
    AnchorError::Node(e.to_string())
}

/// A blocking client for one Ethereum JSON-RPC node over HTTP.
pub struct EvmNode {
    rt: tokio::runtime::Runtime,
    provider: DynProvider,
    chain_id: u64,
    sender: Option<Address>,
    poll: Duration,
    max_wait: Duration,
}

impl std::fmt::Debug for EvmNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvmNode")
            .field("chain_id", &self.chain_id)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl EvmNode {
    /// Connects to `url` (`http://` or `https://`), reads its chain id, and signs transactions
    /// with `key` if given (read-only otherwise).
    pub fn connect(url: &str, key: Option<&EvmKey>) -> Result<EvmNode, AnchorError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(node_err)?;
        let parsed = url
            .parse()
            .map_err(|_| AnchorError::Node("bad node URL".into()))?;
        let (provider, sender) = match key {
            Some(k) => {
                let signer = k.signer()?;
                let addr = signer.address();
                let p = ProviderBuilder::new()
                    .wallet(EthereumWallet::from(signer))
                    .connect_http(parsed);
                (p.erased(), Some(addr))
            }
            None => (ProviderBuilder::new().connect_http(parsed).erased(), None),
        };
        let chain_id = rt
            .block_on(async { provider.get_chain_id().await })
            .map_err(node_err)?;
        Ok(EvmNode {
            rt,
            provider,
            chain_id,
            sender,
            poll: Duration::from_millis(50),
            max_wait: Duration::from_secs(60),
        })
    }

    /// How often and how long to poll for a transaction to be mined (default 50 ms, 60 s).
    /// Polls start 2 ms apart and double up to `every`, so a transaction mined at once (a
    /// local node) is seen within milliseconds and a slow chain is not polled hard.
    pub fn set_polling(&mut self, every: Duration, at_most: Duration) {
        self.poll = every;
        self.max_wait = at_most;
    }

    /// The pause before poll number `attempt` (0, 1, …): 2 ms doubling up to the interval.
    fn poll_delay(&self, attempt: u32) -> Duration {
        Duration::from_millis(2)
            .saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX))
            .min(self.poll)
    }

    /// The chain id the node reported at connection.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The chain id the node reports now.
    pub fn current_chain_id(&self) -> Result<u64, AnchorError> {
        self.rt
            .block_on(async { self.provider.get_chain_id().await })
            .map_err(node_err)
    }

    /// The signing account, if any.
    pub fn sender(&self) -> Option<[u8; 20]> {
        self.sender.map(|a| a.into_array())
    }

    /// The latest block number.
    pub fn block_number(&self) -> Result<u64, AnchorError> {
        self.rt
            .block_on(async { self.provider.get_block_number().await })
            .map_err(node_err)
    }

    /// The number and hash of the block at `tag` (`None` if the node has none).
    pub fn block_at(&self, tag: BlockNumberOrTag) -> Result<Option<(u64, [u8; 32])>, AnchorError> {
        let b = self
            .rt
            .block_on(async { self.provider.get_block_by_number(tag).await })
            .map_err(node_err)?;
        Ok(b.map(|b| (b.header.number, b.header.hash.0)))
    }

    /// A raw JSON-RPC request (node administration such as `evm_mine` on test nodes): the
    /// params as JSON text (at most [`MAX_RAW_PARAMS`] bytes), the result as JSON text.
    pub fn raw_request(&self, method: &str, params_json: &str) -> Result<String, AnchorError> {
        if params_json.len() > MAX_RAW_PARAMS {
            return Err(DecodeError::TooLong {
                what: "JSON-RPC params",
                len: params_json.len(),
                max: MAX_RAW_PARAMS,
            }
            .into());
        }
        let params: serde_json::Value =
            serde_json::from_str(params_json).map_err(|e| DecodeError::json(&e))?;
        let result = self
            .rt
            .block_on(async {
                self.provider
                    .raw_request::<_, serde_json::Value>(Cow::Owned(method.to_owned()), params)
                    .await
            })
            .map_err(node_err)?;
        Ok(result.to_string())
    }

    /// `eth_call` of `data` on `to` at the latest block; a revert is
    /// [`AnchorError::Rejected`] (with the registry's reason when it is one of its errors).
    pub fn call(&self, to: [u8; 20], data: &[u8]) -> Result<Vec<u8>, AnchorError> {
        let tx = TransactionRequest::default()
            .to(Address::from(to))
            .input(Bytes::copy_from_slice(data).into());
        let tx = match self.sender {
            Some(s) => tx.from(s),
            None => tx,
        };
        self.rt
            .block_on(async { self.provider.call(tx).await })
            .map(|b| b.to_vec())
            .map_err(|e| rpc_error(&e))
    }

    /// `eth_call` of `data` on `to` at the block `at` (a number or a tag such as `finalized`);
    /// a revert is [`AnchorError::Rejected`].
    pub fn call_at(
        &self,
        to: [u8; 20],
        data: &[u8],
        at: BlockNumberOrTag,
    ) -> Result<Vec<u8>, AnchorError> {
        let tx = TransactionRequest::default()
            .to(Address::from(to))
            .input(Bytes::copy_from_slice(data).into());
        let tx = match self.sender {
            Some(s) => tx.from(s),
            None => tx,
        };
        self.rt
            .block_on(async {
                self.provider
                    .call(tx)
                    .block(alloy::eips::BlockId::Number(at))
                    .await
            })
            .map(|b| b.to_vec())
            .map_err(|e| rpc_error(&e))
    }

    /// Estimates the gas of sending `data` to `to` (the transaction's total, including the
    /// 21,000 base cost and calldata).
    pub fn estimate_gas(&self, to: [u8; 20], data: &[u8]) -> Result<u64, AnchorError> {
        let tx = TransactionRequest::default()
            .to(Address::from(to))
            .input(Bytes::copy_from_slice(data).into());
        let tx = match self.sender {
            Some(s) => tx.from(s),
            None => tx,
        };
        self.rt
            .block_on(async { self.provider.estimate_gas(tx).await })
            .map_err(|e| rpc_error(&e))
    }

    /// Submits a transaction to `to` with `data`; returns its hash without waiting.
    pub fn submit(&self, to: [u8; 20], data: &[u8]) -> Result<[u8; 32], AnchorError> {
        let sender = self.sender.ok_or(AnchorError::NoSigner)?;
        let tx = TransactionRequest::default()
            .from(sender)
            .to(Address::from(to))
            .input(Bytes::copy_from_slice(data).into());
        self.send(tx)
    }

    /// Submits a transaction with a fixed gas limit (no estimation: the node includes it even
    /// if it reverts); returns its hash without waiting.
    pub fn submit_with_gas(
        &self,
        to: [u8; 20],
        data: &[u8],
        gas: u64,
    ) -> Result<[u8; 32], AnchorError> {
        let sender = self.sender.ok_or(AnchorError::NoSigner)?;
        let tx = TransactionRequest::default()
            .from(sender)
            .to(Address::from(to))
            .gas_limit(gas)
            .input(Bytes::copy_from_slice(data).into());
        self.send(tx)
    }

    fn send(&self, tx: TransactionRequest) -> Result<[u8; 32], AnchorError> {
        // The nonce is read from the node's pending state for every transaction (never cached
        // locally), so a transaction refused before sending (a revert at gas estimation) does
        // not leave a gap that would stall every later one.
        let sender = self.sender.ok_or(AnchorError::NoSigner)?;
        let nonce = self
            .rt
            .block_on(async { self.provider.get_transaction_count(sender).pending().await })
            .map_err(node_err)?;
        let tx = tx.nonce(nonce);
        let pending = self
            .rt
            .block_on(async { self.provider.send_transaction(tx).await })
            .map_err(|e| rpc_error(&e))?;
        Ok(pending.tx_hash().0)
    }

    pub(crate) fn receipt(&self, tx: &[u8; 32]) -> Result<Option<TransactionReceipt>, AnchorError> {
        self.rt
            .block_on(async { self.provider.get_transaction_receipt(B256::from(*tx)).await })
            .map_err(node_err)
    }

    /// The outcome of `tx` if it is mined (`None` while pending or unknown); a mined but
    /// reverted transaction is [`AnchorError::Rejected`].
    pub fn outcome(&self, tx: &[u8; 32]) -> Result<Option<TxOutcome>, AnchorError> {
        let Some(r) = self.receipt(tx)? else {
            return Ok(None);
        };
        outcome_of(&r).map(Some)
    }

    /// Waits (polling) until `tx` is mined, up to the configured limit.
    pub fn wait(&self, tx: &[u8; 32]) -> Result<TxOutcome, AnchorError> {
        let start = Instant::now();
        let mut attempt = 0u32;
        loop {
            if let Some(o) = self.outcome(tx)? {
                return Ok(o);
            }
            if start.elapsed() >= self.max_wait {
                return Err(AnchorError::Timeout);
            }
            std::thread::sleep(self.poll_delay(attempt));
            attempt = attempt.saturating_add(1);
        }
    }

    /// Sends `data` to `to` and waits until mined.
    pub fn transact(&self, to: [u8; 20], data: &[u8]) -> Result<TxOutcome, AnchorError> {
        let h = self.submit(to, data)?;
        self.wait(&h)
    }

    /// Sends `data` with `value` wei to `to` and waits until mined (gas estimated by the node,
    /// so a revert is [`AnchorError::Rejected`] with its reason and nothing is sent).
    pub fn transact_value(
        &self,
        to: [u8; 20],
        data: &[u8],
        value: u128,
    ) -> Result<TxOutcome, AnchorError> {
        let sender = self.sender.ok_or(AnchorError::NoSigner)?;
        let tx = TransactionRequest::default()
            .from(sender)
            .to(Address::from(to))
            .value(U256::from(value))
            .input(Bytes::copy_from_slice(data).into());
        let h = self.send(tx)?;
        self.wait(&h)
    }

    /// The balance of `who` in wei at the latest block.
    pub fn balance(&self, who: [u8; 20]) -> Result<U256, AnchorError> {
        self.rt
            .block_on(async { self.provider.get_balance(Address::from(who)).await })
            .map_err(node_err)
    }

    /// Deploys `init_code` (creation bytecode, constructor arguments appended) and waits.
    pub fn deploy(&self, init_code: &[u8]) -> Result<TxOutcome, AnchorError> {
        if init_code.len() > MAX_INIT_CODE {
            return Err(AnchorError::Invalid("init code too large"));
        }
        let sender = self.sender.ok_or(AnchorError::NoSigner)?;
        let tx = TransactionRequest::default()
            .from(sender)
            .with_deploy_code(Bytes::copy_from_slice(init_code));
        let h = self.send(tx)?;
        let o = self.wait(&h)?;
        if o.contract_address.is_none() {
            return Err(AnchorError::Invalid("deployment created no contract"));
        }
        Ok(o)
    }

    /// Deploys a contract from a checked-in artifact's JSON (its `bytecode` field).
    pub fn deploy_artifact(&self, artifact_json: &str) -> Result<TxOutcome, AnchorError> {
        let code = artifact_bytecode(artifact_json)?;
        self.deploy(&code)
    }

    /// Deploys a new `AnchorRegistry` owned by the signing account and allows that account
    /// as a submitter for each of `origins`; returns the registry's address and its deployment
    /// block (where anchor searches can start: [`EvmAnchor::set_from_block`]).
    pub fn deploy_registry(&self, origins: &[&str]) -> Result<([u8; 20], u64), AnchorError> {
        if origins.len() > MAX_ORIGINS_PER_CALL {
            return Err(AnchorError::Invalid("too many origins"));
        }
        let o = self.deploy_artifact(ANCHOR_REGISTRY_ARTIFACT)?;
        let addr = o
            .contract_address
            .ok_or(AnchorError::Invalid("deployment created no contract"))?;
        let me = self.sender.ok_or(AnchorError::NoSigner)?;
        for origin in origins {
            let call = IAnchorRegistry::setSubmitterCall {
                origin: B256::from(origin_key(origin)),
                submitter: me,
                allowed: true,
            };
            self.transact(addr, &call.abi_encode())?;
        }
        Ok((addr, o.block_number))
    }
}

/// The registry's head value for a checkpoint (re-exported from [`super::head_of`]).
pub use super::head_of;

/// The creation bytecode of a compiled artifact (`{"bytecode": "0x…"}`).
pub fn artifact_bytecode(artifact_json: &str) -> Result<Vec<u8>, AnchorError> {
    if artifact_json.len() > 4 * MAX_INIT_CODE + 1024 * 1024 {
        return Err(AnchorError::Invalid("artifact too large"));
    }
    let v: serde_json::Value =
        serde_json::from_str(artifact_json).map_err(|_| AnchorError::Invalid("artifact JSON"))?;
    let code = v
        .get("bytecode")
        .and_then(|b| b.as_str())
        .ok_or(AnchorError::Invalid("artifact has no bytecode"))?;
    let code = code.strip_prefix("0x").unwrap_or(code);
    let bytes = hex::decode(code).map_err(|_| AnchorError::Invalid("artifact bytecode hex"))?;
    if bytes.is_empty() || bytes.len() > MAX_INIT_CODE {
        return Err(AnchorError::Invalid("artifact bytecode size"));
    }
    Ok(bytes)
}

fn outcome_of(r: &TransactionReceipt) -> Result<TxOutcome, AnchorError> {
    if !r.status() {
        return Err(AnchorError::Rejected(Rejection::Other));
    }
    Ok(TxOutcome {
        tx_hash: r.transaction_hash.0,
        block_number: r
            .block_number
            .ok_or(AnchorError::Node("receipt without block".into()))?,
        block_hash: r
            .block_hash
            .ok_or(AnchorError::Node("receipt without block".into()))?
            .0,
        gas_used: r.gas_used,
        contract_address: r.contract_address.map(|a| a.into_array()),
    })
}

/// Maps an RPC error: a revert becomes [`AnchorError::Rejected`] with the registry's reason.
fn rpc_error<E: std::fmt::Display>(e: &alloy::transports::RpcError<E>) -> AnchorError {
    if let Some(payload) = e.as_error_resp() {
        if let Some(data) = payload.as_revert_data() {
            return AnchorError::Rejected(decode_rejection(&data));
        }
        if payload.message.contains("revert") {
            return AnchorError::Rejected(Rejection::Other);
        }
    }
    node_err(e)
}

fn word_u64(data: &[u8], word: usize) -> Option<u64> {
    let start = 4 + 32 * word;
    let w = data.get(start..start + 32)?;
    let (hi, lo) = w.split_at(24);
    if hi.iter().any(|b| *b != 0) {
        return None;
    }
    Some(u64::from_be_bytes(lo.try_into().ok()?))
}

/// The registry's reason for a revert, from the revert data.
pub fn decode_rejection(data: &[u8]) -> Rejection {
    let Some(sel) = data.get(..4) else {
        return Rejection::Other;
    };
    if sel == IAnchorRegistry::NotSubmitter::SELECTOR.as_slice() {
        Rejection::NotSubmitter
    } else if sel == IAnchorRegistry::NotOriginAdmin::SELECTOR.as_slice() {
        Rejection::NotOriginAdmin
    } else if sel == IAnchorRegistry::NotOwner::SELECTOR.as_slice() {
        Rejection::NotOwner
    } else if sel == IAnchorRegistry::Duplicate::SELECTOR.as_slice() {
        Rejection::Duplicate
    } else if sel == IAnchorRegistry::Fork::SELECTOR.as_slice() {
        Rejection::Fork
    } else if sel == IAnchorRegistry::StaleHead::SELECTOR.as_slice() {
        Rejection::StaleHead
    } else if sel == IAnchorRegistry::EmptyCheckpoint::SELECTOR.as_slice() {
        Rejection::EmptyCheckpoint
    } else if sel == IAnchorRegistry::BadReset::SELECTOR.as_slice() {
        Rejection::BadReset
    } else if sel == IAnchorRegistry::NeverAnchored::SELECTOR.as_slice() {
        Rejection::NeverAnchored
    } else if sel == IAnchorRegistry::Rollback::SELECTOR.as_slice() {
        match (word_u64(data, 0), word_u64(data, 1)) {
            (Some(anchored), Some(offered)) => Rejection::Rollback { anchored, offered },
            _ => Rejection::Other,
        }
    } else if let Some(deal) = super::trade::evm::decode_deal_revert(data) {
        Rejection::Deal(deal)
    } else {
        Rejection::Other
    }
}

/// How long [`EvmAnchor::wait_final`] sleeps between polls.
pub const WAIT_POLL: Duration = Duration::from_secs(2);
/// How many times [`EvmAnchor::wait_final`] polls before [`AnchorError::Timeout`].
pub const WAIT_MAX_POLLS: u32 = 600;

/// The `AnchorRegistry` contract on a node.
#[derive(Debug)]
pub struct EvmAnchor {
    node: EvmNode,
    contract: [u8; 20],
    finality: Finality,
    from_block: u64,
    page_blocks: u64,
    max_anchors: usize,
    max_queries: u64,
}

impl EvmAnchor {
    /// The registry at `contract` on `node`, counting anchors under `finality`.
    pub fn new(node: EvmNode, contract: [u8; 20], finality: Finality) -> EvmAnchor {
        EvmAnchor {
            node,
            contract,
            finality,
            from_block: 0,
            page_blocks: DEFAULT_LOG_PAGE_BLOCKS,
            max_anchors: DEFAULT_MAX_ANCHORS,
            max_queries: DEFAULT_MAX_LOG_QUERIES,
        }
    }

    /// Searches for anchor events from this block on (default 0; set it to the registry's
    /// deployment block, which [`EvmNode::deploy_registry`] returns, on long chains).
    pub fn set_from_block(&mut self, block: u64) {
        self.from_block = block;
    }

    /// Pages `eth_getLogs` by `blocks` blocks per query (at least 1; default
    /// [`DEFAULT_LOG_PAGE_BLOCKS`]), at most `max_queries` queries per search (default
    /// [`DEFAULT_MAX_LOG_QUERIES`]), and returns at most `max_anchors` anchors per origin
    /// (default [`DEFAULT_MAX_ANCHORS`]); past either cap a search fails with
    /// [`AnchorError::Invalid`] rather than returning a partial history.
    pub fn set_log_paging(&mut self, blocks: u64, max_queries: u64, max_anchors: usize) {
        self.page_blocks = blocks.max(1);
        self.max_queries = max_queries.max(1);
        self.max_anchors = max_anchors;
    }

    /// The `Anchored` events of `origin` in blocks `from..=to` (one query).
    fn logs_in(
        &self,
        origin: &str,
        key: &[u8; 32],
        from: u64,
        to: u64,
    ) -> Result<Vec<AnchorRecord>, AnchorError> {
        let filter = Filter::new()
            .address(Address::from(self.contract))
            .event_signature(IAnchorRegistry::Anchored::SIGNATURE_HASH)
            .topic1(B256::from(*key))
            .from_block(from)
            .to_block(to);
        let logs = self
            .node
            .rt
            .block_on(async { self.node.provider.get_logs(&filter).await })
            .map_err(node_err)?;
        if logs.len() > self.max_anchors {
            return Err(AnchorError::Invalid("too many anchors for this origin"));
        }
        Ok(logs
            .iter()
            .filter(|l| !l.removed)
            .filter_map(|l| self.record_of(l, origin, key))
            .collect())
    }

    /// The block ranges of a search from the start block to `latest`, oldest first.
    fn pages(&self, latest: u64) -> Result<Vec<(u64, u64)>, AnchorError> {
        self.pages_between(self.from_block, latest)
    }

    /// The block ranges of a search from `first` to `latest`, oldest first (at most the
    /// configured number of queries).
    fn pages_between(&self, first: u64, latest: u64) -> Result<Vec<(u64, u64)>, AnchorError> {
        if latest < first {
            return Ok(Vec::new());
        }
        let span = latest - first;
        let count = span / self.page_blocks + 1;
        if count > self.max_queries {
            return Err(AnchorError::Invalid(
                "the log search spans too many blocks: set the start block (the registry's deployment block)",
            ));
        }
        let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let mut from = first;
        loop {
            let to = from.saturating_add(self.page_blocks - 1).min(latest);
            out.push((from, to));
            if to >= latest {
                break;
            }
            from = to + 1;
        }
        Ok(out)
    }

    /// The latest anchor of `origin` in the canonical chain. Reads the registry's head for
    /// the origin (zero: never anchored, no search), then searches backwards from the latest
    /// block page by page (at most the configured number of queries, not before the start
    /// block) and checks that the most recent `Anchored` event is that head.
    pub fn latest_anchor(&self, origin: &str) -> Result<Option<AnchorRecord>, AnchorError> {
        let head = self.head(origin)?;
        if head == [0; 32] {
            return Ok(None);
        }
        let key = origin_key(origin);
        let mut to = self.node.block_number()?;
        for _ in 0..self.max_queries {
            if to < self.from_block {
                break;
            }
            let from = to.saturating_sub(self.page_blocks - 1).max(self.from_block);
            if let Some(last) = self.logs_in(origin, &key, from, to)?.pop() {
                if head_of(last.size, &last.root) != head {
                    return Err(AnchorError::Invalid(
                        "the latest anchor event is not the registry's head (it moved: retry)",
                    ));
                }
                return Ok(Some(last));
            }
            let Some(next) = from.checked_sub(1) else {
                break;
            };
            to = next;
        }
        Err(AnchorError::Invalid(
            "the latest anchor is not in the searched blocks: set the start block (the registry's deployment block)",
        ))
    }

    /// The node.
    pub fn node(&self) -> &EvmNode {
        &self.node
    }

    /// The node, mutably (polling settings).
    pub fn node_mut(&mut self) -> &mut EvmNode {
        &mut self.node
    }

    /// Whether the node is a local development node (anvil: it answers `anvil_nodeInfo`),
    /// where [`EvmAnchor::wait_final`] may mine blocks.
    pub fn is_dev_node(&self) -> bool {
        self.node.raw_request("anvil_nodeInfo", "[]").is_ok()
    }

    /// One pause between polls while waiting for finality: on a local development node
    /// (`mine_dev`) mine 16 blocks, else sleep [`WAIT_POLL`].
    pub fn pause(&self, mine_dev: bool) -> Result<(), AnchorError> {
        if mine_dev {
            self.node
                .raw_request("anvil_mine", r#"["0x10"]"#)
                .map(|_| ())
        } else {
            std::thread::sleep(WAIT_POLL);
            Ok(())
        }
    }

    /// Waits until `record` is final under the policy ([`super::wait_final`]), pausing with
    /// [`EvmAnchor::pause`] between polls; at most [`WAIT_MAX_POLLS`] polls.
    pub fn wait_final(&self, record: &AnchorRecord, mine_dev: bool) -> Result<(), AnchorError> {
        super::wait_final(self, record, WAIT_MAX_POLLS, |_| self.pause(mine_dev))
    }

    /// The finality policy.
    pub fn finality(&self) -> Finality {
        self.finality
    }

    /// Allows or removes a submitter for `origin` (the registry's owner or the origin's
    /// admin only; the contract rejects anyone else).
    pub fn set_submitter(
        &self,
        origin: &str,
        who: [u8; 20],
        allowed: bool,
    ) -> Result<TxOutcome, AnchorError> {
        let call = IAnchorRegistry::setSubmitterCall {
            origin: B256::from(origin_key(origin)),
            submitter: Address::from(who),
            allowed,
        };
        self.node.transact(self.contract, &call.abi_encode())
    }

    /// Names the account that manages the allow-list of `origin` besides the owner (owner
    /// only; the zero address removes it).
    pub fn set_origin_admin(
        &self,
        origin: &str,
        admin: [u8; 20],
    ) -> Result<TxOutcome, AnchorError> {
        let call = IAnchorRegistry::setOriginAdminCall {
            origin: B256::from(origin_key(origin)),
            admin: Address::from(admin),
        };
        self.node.transact(self.contract, &call.abi_encode())
    }

    /// Whether `who` may anchor checkpoints of `origin`.
    pub fn is_submitter(&self, origin: &str, who: [u8; 20]) -> Result<bool, AnchorError> {
        let call = IAnchorRegistry::isSubmitterCall {
            origin: B256::from(origin_key(origin)),
            who: Address::from(who),
        };
        let out = self.node.call(self.contract, &call.abi_encode())?;
        Ok(out.len() == 32 && out.get(31) == Some(&1))
    }

    /// The contract's head value for `origin`: `keccak256(abi.encode(size, root))` of the
    /// latest anchor, or zero.
    pub fn head(&self, origin: &str) -> Result<[u8; 32], AnchorError> {
        let call = IAnchorRegistry::headCall {
            origin: B256::from(origin_key(origin)),
        };
        let out = self.node.call(self.contract, &call.abi_encode())?;
        out.try_into()
            .map_err(|_| AnchorError::Node("bad head() return".into()))
    }

    /// Whether the head value `head` (see [`head_of`]) was ever anchored for `origin`: the
    /// heads [`EvmAnchor::reset_head`] may return to.
    pub fn was_anchored(&self, origin: &str, head: &[u8; 32]) -> Result<bool, AnchorError> {
        let call = IAnchorRegistry::wasAnchoredCall {
            origin: B256::from(origin_key(origin)),
            head: B256::from(*head),
        };
        let out = self.node.call(self.contract, &call.abi_encode())?;
        Ok(out.len() == 32 && U256::from_be_slice(&out) == U256::from(1u8))
    }

    /// [`EvmAnchor::was_anchored`] in the registry's state at the block the finality policy
    /// counts as final: the node's `finalized` block, or the latest block less the
    /// confirmations minus one. `false` when there is no such block yet.
    pub fn was_anchored_at_final(
        &self,
        origin: &str,
        head: &[u8; 32],
    ) -> Result<bool, AnchorError> {
        let at = match self.finality {
            Finality::Finalized => match self.node.block_at(BlockNumberOrTag::Finalized)? {
                Some((n, _)) => n,
                None => return Ok(false),
            },
            Finality::Confirmations(n) => {
                let latest = self.node.block_number()?;
                match latest.checked_sub(n.max(1) - 1) {
                    Some(b) => b,
                    None => return Ok(false),
                }
            }
        };
        let call = IAnchorRegistry::wasAnchoredCall {
            origin: B256::from(origin_key(origin)),
            head: B256::from(*head),
        };
        let out = self.node.call_at(
            self.contract,
            &call.abi_encode(),
            BlockNumberOrTag::Number(at),
        )?;
        Ok(out.len() == 32 && U256::from_be_slice(&out) == U256::from(1u8))
    }

    /// The calldata of the owner's recovery `resetHead`: replace the head of `origin`, which
    /// must be `expected` (see [`EvmAnchor::head`]), with the anchor (`size`, anchored value)
    /// in `to` (it must have been anchored for `origin` before), or clear it (`None`).
    pub fn reset_head_calldata(
        origin: &str,
        expected: &[u8; 32],
        to: Option<(u64, Hash)>,
    ) -> Vec<u8> {
        let (size, root) = to.unwrap_or((0, [0; 32]));
        IAnchorRegistry::resetHeadCall {
            origin: B256::from(origin_key(origin)),
            expectedHead: B256::from(*expected),
            size,
            root: B256::from(root),
        }
        .abi_encode()
    }

    /// Recovery, registry owner only: resets the head of `origin` (which must still be
    /// `expected`) to the earlier anchor `to` (size and anchored value) or clears it (`None`),
    /// and waits until mined. The contract refuses a head never anchored for the origin
    /// ([`Rejection::NeverAnchored`]), an unchanged or half-zero one ([`Rejection::BadReset`])
    /// and a moved head ([`Rejection::StaleHead`]). Every earlier anchor of the origin then
    /// fails online verification ([`AnchorError::HeadReset`]).
    pub fn reset_head(
        &self,
        origin: &str,
        expected: &[u8; 32],
        to: Option<(u64, Hash)>,
    ) -> Result<TxOutcome, AnchorError> {
        let data = Self::reset_head_calldata(origin, expected, to);
        self.node.transact(self.contract, &data)
    }

    /// The `HeadReset` events of `origin` in blocks `from..=to` (one query), in chain order.
    /// The registry's `resetCount(origin)` at the node's latest block, or `None` when the
    /// registry predates it (the call fails or does not return one word).
    fn reset_count(&self, key: &[u8; 32]) -> Option<u64> {
        let call = IAnchorRegistry::resetCountCall {
            origin: B256::from(*key),
        };
        let out = self.node.call(self.contract, &call.abi_encode()).ok()?;
        if out.len() != 32 {
            return None;
        }
        u64::try_from(U256::from_be_slice(&out)).ok()
    }

    /// The registry's `resetBlock(origin, i)`.
    fn reset_block(&self, key: &[u8; 32], i: u64) -> Result<u64, AnchorError> {
        let call = IAnchorRegistry::resetBlockCall {
            origin: B256::from(*key),
            i: U256::from(i),
        };
        let out = self.node.call(self.contract, &call.abi_encode())?;
        if out.len() != 32 {
            return Err(AnchorError::Invalid(
                "the registry returned a malformed reset block",
            ));
        }
        u64::try_from(U256::from_be_slice(&out))
            .map_err(|_| AnchorError::Invalid("the registry returned a reset block beyond 2^64"))
    }

    /// The first of the origin's `count` resets whose block is at or after `block`: its index
    /// and block number (binary search; the list is in block order).
    fn first_reset_at_or_after(
        &self,
        key: &[u8; 32],
        count: u64,
        block: u64,
    ) -> Result<Option<(u64, u64)>, AnchorError> {
        let (mut lo, mut hi) = (0u64, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.reset_block(key, mid)? < block {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == count {
            return Ok(None);
        }
        Ok(Some((lo, self.reset_block(key, lo)?)))
    }

    fn resets_in(
        &self,
        origin: &str,
        key: &[u8; 32],
        from: u64,
        to: u64,
    ) -> Result<Vec<HeadReset>, AnchorError> {
        let filter = Filter::new()
            .address(Address::from(self.contract))
            .event_signature(IAnchorRegistry::HeadReset::SIGNATURE_HASH)
            .topic1(B256::from(*key))
            .from_block(from)
            .to_block(to);
        let logs = self
            .node
            .rt
            .block_on(async { self.node.provider.get_logs(&filter).await })
            .map_err(node_err)?;
        if logs.len() > self.max_anchors {
            return Err(AnchorError::Invalid("too many head resets for this origin"));
        }
        let mut out: Vec<HeadReset> = logs
            .iter()
            .filter(|l| !l.removed)
            .filter_map(|l| self.reset_of(l, origin, key))
            .collect();
        out.sort_by_key(|r| (r.block_number, r.log_index));
        Ok(out)
    }

    fn reset_of(&self, log: &Log, origin: &str, key: &[u8; 32]) -> Option<HeadReset> {
        if log.address().into_array() != self.contract {
            return None;
        }
        let topics = log.topics();
        if topics.len() != 3
            || topics.first()? != &IAnchorRegistry::HeadReset::SIGNATURE_HASH
            || topics.get(1)?.0 != *key
        {
            return None;
        }
        let data = &log.data().data;
        if data.len() != 96 {
            return None;
        }
        let (w0, rest) = data.split_at(32);
        let (w1, w2) = rest.split_at(32);
        let (hi, lo) = w1.split_at(24);
        if hi.iter().any(|b| *b != 0) {
            return None;
        }
        Some(HeadReset {
            origin: origin.to_owned(),
            replaced: w0.try_into().ok()?,
            size: u64::from_be_bytes(lo.try_into().ok()?),
            root: w2.try_into().ok()?,
            block_number: log.block_number?,
            log_index: log.log_index?,
            tx_hash: log.transaction_hash?.0,
        })
    }

    /// The calldata anchoring (`size`, `root`) of `origin` after (`prev_size`, `prev_root`).
    pub fn anchor_calldata(
        origin: &str,
        prev: Option<(u64, Hash)>,
        size: u64,
        root: &Hash,
    ) -> Vec<u8> {
        let (ps, pr) = prev.unwrap_or((0, [0; 32]));
        IAnchorRegistry::anchorCall {
            origin: B256::from(origin_key(origin)),
            prevSize: ps,
            prevRoot: B256::from(pr),
            size,
            root: B256::from(*root),
        }
        .abi_encode()
    }

    /// Submits an anchor of `checkpoint` after the latest anchor of its origin on the chain
    /// now, and returns the transaction hash without waiting for it to be mined. The contract
    /// checks it when it executes (and the node when it estimates gas: an anchor that would be
    /// rejected is refused with [`AnchorError::Rejected`] before it is sent).
    pub fn submit(&self, checkpoint: &Checkpoint) -> Result<[u8; 32], AnchorError> {
        let prev = self
            .latest_anchor(&checkpoint.origin)?
            .map(|r| (r.size, r.root));
        self.submit_after(checkpoint, prev)
    }

    /// Submits an anchor of `checkpoint` (its size and [`super::anchored_value`], which covers
    /// the root and the revocation line) naming `prev` as the latest anchor (None: the first;
    /// else its size and anchored value, as [`AnchorRecord::root`] holds it).
    pub fn submit_after(
        &self,
        checkpoint: &Checkpoint,
        prev: Option<(u64, Hash)>,
    ) -> Result<[u8; 32], AnchorError> {
        let value = super::anchored_value(checkpoint)?;
        let data = Self::anchor_calldata(&checkpoint.origin, prev, checkpoint.size, &value);
        self.node.submit(self.contract, &data)
    }

    /// The anchor made by transaction `tx` for `origin`, once mined (`None` while pending).
    pub fn included(
        &self,
        tx: &[u8; 32],
        origin: &str,
    ) -> Result<Option<AnchorRecord>, AnchorError> {
        let Some(r) = self.node.receipt(tx)? else {
            return Ok(None);
        };
        outcome_of(&r)?;
        let key = origin_key(origin);
        for log in r.inner.logs() {
            if let Some(rec) = self.record_of(log, origin, &key) {
                return Ok(Some(rec));
            }
        }
        Err(AnchorError::Node(
            "the transaction emitted no anchor".into(),
        ))
    }

    /// Gas used by the anchoring transaction `tx` (for measurements).
    pub fn gas_used(&self, tx: &[u8; 32]) -> Result<u64, AnchorError> {
        self.node
            .outcome(tx)?
            .map(|o| o.gas_used)
            .ok_or(AnchorError::NotOnChain)
    }

    fn record_of(&self, log: &Log, origin: &str, key: &[u8; 32]) -> Option<AnchorRecord> {
        if log.address().into_array() != self.contract {
            return None;
        }
        let topics = log.topics();
        if topics.len() != 3
            || topics.first()? != &IAnchorRegistry::Anchored::SIGNATURE_HASH
            || topics.get(1)?.0 != *key
        {
            return None;
        }
        let sub = topics.get(2)?.0;
        let (pad, addr) = sub.split_at(12);
        if pad.iter().any(|b| *b != 0) {
            return None;
        }
        let data = &log.data().data;
        if data.len() != 64 {
            return None;
        }
        let (w0, w1) = data.split_at(32);
        let (hi, lo) = w0.split_at(24);
        if hi.iter().any(|b| *b != 0) {
            return None;
        }
        Some(AnchorRecord {
            origin: origin.to_owned(),
            size: u64::from_be_bytes(lo.try_into().ok()?),
            root: w1.try_into().ok()?,
            chain: self.chain(),
            block_number: log.block_number?,
            block_hash: log.block_hash?.0,
            tx_hash: log.transaction_hash?.0,
            submitter: addr.try_into().ok()?,
        })
    }
}

impl Anchor for EvmAnchor {
    fn chain(&self) -> ChainRef {
        ChainRef {
            chain_id: self.node.chain_id,
            contract: self.contract,
        }
    }

    fn anchor(&self, checkpoint: &Checkpoint) -> Result<AnchorRecord, AnchorError> {
        let tx = self.submit(checkpoint)?;
        let start = Instant::now();
        let mut attempt = 0u32;
        loop {
            if let Some(rec) = self.included(&tx, &checkpoint.origin)? {
                return Ok(rec);
            }
            if start.elapsed() >= self.node.max_wait {
                return Err(AnchorError::Timeout);
            }
            std::thread::sleep(self.node.poll_delay(attempt));
            attempt = attempt.saturating_add(1);
        }
    }

    fn anchors(&self, origin: &str) -> Result<Vec<AnchorRecord>, AnchorError> {
        let key = origin_key(origin);
        let latest = self.node.block_number()?;
        let mut out = Vec::new();
        for (from, to) in self.pages(latest)? {
            let page = self.logs_in(origin, &key, from, to)?;
            if out.len().saturating_add(page.len()) > self.max_anchors {
                return Err(AnchorError::Invalid("too many anchors for this origin"));
            }
            out.extend(page);
        }
        Ok(out)
    }

    fn status(&self, record: &AnchorRecord) -> Result<AnchorStatus, AnchorError> {
        let chain_id = self.node.current_chain_id()?;
        if record.chain != self.chain() || chain_id != record.chain.chain_id {
            return Err(AnchorError::WrongChain);
        }
        // The transaction, its block and its event.
        let Some(r) = self.node.receipt(&record.tx_hash)? else {
            return Ok(AnchorStatus::Missing);
        };
        if !r.status()
            || r.block_number != Some(record.block_number)
            || r.block_hash.map(|h| h.0) != Some(record.block_hash)
        {
            return Ok(AnchorStatus::Missing);
        }
        let key = origin_key(&record.origin);
        let found = r.inner.logs().iter().any(|l| {
            self.record_of(l, &record.origin, &key).is_some_and(|x| {
                x.size == record.size && x.root == record.root && x.tx_hash == record.tx_hash
            })
        });
        if !found {
            return Ok(AnchorStatus::Missing);
        }
        // The block must be the canonical one at its height.
        match self
            .node
            .block_at(BlockNumberOrTag::Number(record.block_number))?
        {
            Some((_, h)) if h == record.block_hash => {}
            _ => return Ok(AnchorStatus::Missing),
        }
        let latest = self.node.block_number()?;
        let confirmations = latest
            .checked_sub(record.block_number)
            .map_or(0, |d| d.saturating_add(1));
        let is_final = match self.finality {
            Finality::Finalized => match self.node.block_at(BlockNumberOrTag::Finalized)? {
                Some((f, _)) => f >= record.block_number,
                None => false,
            },
            Finality::Confirmations(n) => confirmations >= n.max(1),
        };
        Ok(if is_final {
            AnchorStatus::Final
        } else {
            AnchorStatus::Pending { confirmations }
        })
    }

    fn was_anchored_final(
        &self,
        origin: &str,
        size: u64,
        value: &Hash,
    ) -> Result<bool, AnchorError> {
        if self.node.current_chain_id()? != self.node.chain_id {
            return Err(AnchorError::WrongChain);
        }
        self.was_anchored_at_final(origin, &head_of(size, value))
    }

    fn reset_after(&self, record: &AnchorRecord) -> Result<Option<HeadReset>, AnchorError> {
        if record.chain != self.chain() {
            return Err(AnchorError::WrongChain);
        }
        // The anchor's position: its event in the anchoring transaction, in the recorded block.
        let key = origin_key(&record.origin);
        let Some(r) = self.node.receipt(&record.tx_hash)? else {
            return Err(AnchorError::NotOnChain);
        };
        if r.block_number != Some(record.block_number)
            || r.block_hash.map(|h| h.0) != Some(record.block_hash)
        {
            return Err(AnchorError::NotOnChain);
        }
        let position = r
            .inner
            .logs()
            .iter()
            .filter(|l| {
                self.record_of(l, &record.origin, &key)
                    .is_some_and(|x| x.size == record.size && x.root == record.root)
            })
            .find_map(|l| l.log_index)
            .ok_or(AnchorError::NotOnChain)?;
        let anchored_at = (record.block_number, position);
        // The registry lists the block of each of the origin's resets (review M2): a binary
        // search over that list finds the first reset block at or after the anchor's in a few
        // calls, and only that block's logs (and, when every reset in it came before the
        // anchor, the next reset block's) are read. A registry deployed before the list existed
        // (the calls fail or return no word) falls back to searching the logs.
        if let Some(count) = self.reset_count(&key) {
            let mut next = self.first_reset_at_or_after(&key, count, record.block_number)?;
            while let Some((i, block)) = next {
                let events = self.resets_in(&record.origin, &key, block, block)?;
                // Every reset the registry lists in this block must come with its event: a node
                // whose logs lag its state must not hide one later in the anchor's own block.
                let mut listed = 0u64;
                while i + listed < count && self.reset_block(&key, i + listed)? == block {
                    listed += 1;
                }
                if (events.len() as u64) < listed {
                    return Err(AnchorError::Invalid(
                        "the registry lists a head reset whose event the node does not return",
                    ));
                }
                if let Some(reset) = events
                    .into_iter()
                    .find(|x| (x.block_number, x.log_index) > anchored_at)
                {
                    return Ok(Some(reset));
                }
                if block != record.block_number {
                    // The list names this block but the node's logs hold no reset in it: the
                    // node's state and logs disagree; fail closed.
                    return Err(AnchorError::Invalid(
                        "the registry lists a head reset whose event the node does not return",
                    ));
                }
                // Every reset of the anchor's own block came before it: try the next block.
                next = self.first_reset_at_or_after(&key, count, block.saturating_add(1))?;
                if next.is_some_and(|(j, _)| j <= i) {
                    break;
                }
            }
            return Ok(None);
        }
        let latest = self.node.block_number()?;
        for (from, to) in self.pages_between(record.block_number, latest)? {
            if let Some(reset) = self
                .resets_in(&record.origin, &key, from, to)?
                .into_iter()
                .find(|x| (x.block_number, x.log_index) > anchored_at)
            {
                return Ok(Some(reset));
            }
        }
        Ok(None)
    }
}

/// The issuer-root registry (`contracts/src/IssuerRegistry.sol`) on a node (which it owns).
#[derive(Debug)]
pub struct EvmIssuerRegistry {
    node: EvmNode,
    contract: [u8; 20],
}

impl EvmIssuerRegistry {
    /// The registry at `contract` on `node`.
    pub fn new(node: EvmNode, contract: [u8; 20]) -> Self {
        EvmIssuerRegistry { node, contract }
    }

    /// The node.
    pub fn node(&self) -> &EvmNode {
        &self.node
    }

    /// Registers `root` as issued by the signing account.
    pub fn register(&self, root: &[u8; 32]) -> Result<TxOutcome, AnchorError> {
        let call = IIssuerRegistry::registerCall {
            root: B256::from(*root),
        };
        self.node.transact(self.contract, &call.abi_encode())
    }

    /// Revokes `root` (the signing account's).
    pub fn revoke(&self, root: &[u8; 32]) -> Result<TxOutcome, AnchorError> {
        let call = IIssuerRegistry::revokeCall {
            root: B256::from(*root),
        };
        self.node.transact(self.contract, &call.abi_encode())
    }

    /// Whether `issuer` registered `root` and has not revoked it.
    pub fn is_valid(&self, issuer: [u8; 20], root: &[u8; 32]) -> Result<bool, AnchorError> {
        let call = IIssuerRegistry::isValidCall {
            issuer: Address::from(issuer),
            root: B256::from(*root),
        };
        let out = self.node.call(self.contract, &call.abi_encode())?;
        Ok(out.len() == 32 && U256::from_be_slice(&out) == U256::from(1u8))
    }
}
