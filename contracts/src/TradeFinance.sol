// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.37;

/// @notice The generated Groth16 verifier of the sum circuit (`causeway verifier export`).
interface IGroth16Verifier {
    function verifyProof(uint256[8] calldata proof, uint256[] calldata input) external view returns (bool);
}

/// @notice The generated circomlib Poseidon contract (`Poseidon<n>.sol`, from Rust).
interface IPoseidon {
    function INPUTS() external view returns (uint256);
    function hash(uint256[] calldata inputs) external pure returns (uint256);
}

/// @notice The issuer-root registry (`IssuerRegistry.sol`).
interface IIssuerRoots {
    function registeredAt(address issuer, bytes32 root) external view returns (uint256);
    function revoked(address issuer, bytes32 root) external view returns (bool);
}

/// @title Causeway trade finance paid on chain
/// @notice A funder (a bank or a buyer) opens a deal and escrows native ETH for an exporter. The
/// exporter is paid the escrow when anyone submits a Groth16 proof of the sum circuit for this
/// deployment's number of records `K`: the sum of field `fieldName` (type `typeTag`) over `K`
/// distinct attested records is at least `threshold`; every record root registered (and not
/// revoked) by the deal's issuer in the IssuerRegistry; the statement bound to the deal's
/// challenge, which binds chain id, this contract's address and the deal id. The public input
/// (one Poseidon hash, docs/spec/groth16.md) is recomputed here with the generated Poseidon
/// contract. After the deadline, anyone may return the escrow to the funder. Every refusal is
/// a named error (docs/spec/trade-finance.md). Checks-effects-interactions: a deal's status
/// changes before any ether leaves.
contract TradeFinance {
    /// @notice BN254 scalar field modulus.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice Domain tag of the sum statement's hash (`0x43575301 << 32`, plus K).
    uint256 internal constant SUM_DOMAIN = 0x4357530100000000;
    /// @notice Domain of the deal challenge.
    bytes32 public constant CHALLENGE_DOMAIN = keccak256("causeway/trade-finance/v1");

    /// @notice Deal states.
    enum Status {
        None,
        Open,
        Paid,
        Refunded
    }

    /// @notice One deal.
    struct Deal {
        address funder;
        uint64 deadline;
        Status status;
        address exporter;
        uint64 threshold;
        address issuer;
        uint64 typeTag;
        uint256 fieldName;
        uint256 escrow;
    }

    IIssuerRoots public immutable registry;
    IGroth16Verifier public immutable verifier;
    IPoseidon public immutable poseidon;
    /// @notice Records per proof (the sum circuit's k).
    uint256 public immutable K;

    /// @notice Deals by id (ids start at 1).
    mapping(uint256 => Deal) public deals;
    /// @notice The last deal id issued.
    uint256 public dealCount;

    event DealOpened(
        uint256 indexed id, address indexed funder, address indexed exporter, uint256 escrow, uint64 threshold, uint64 deadline, uint256 challenge
    );
    event DealPaid(uint256 indexed id, address indexed exporter, uint256 escrow);
    event DealRefunded(uint256 indexed id, address indexed funder, uint256 escrow);

    error BadSetup();
    error NoEscrow();
    error BadTerms();
    error DeadlineInPast();
    error UnknownDeal(uint256 id);
    error AlreadyPaid(uint256 id);
    error AlreadyRefunded(uint256 id);
    error DeadlinePassed(uint256 id);
    error DeadlineNotReached(uint256 id);
    error WrongRootCount(uint256 expected, uint256 found);
    error RootNotInField(bytes32 root);
    error RepeatedRoot(bytes32 root);
    error RootNotRegistered(bytes32 root);
    error RootRevoked(bytes32 root);
    error ProofRejected(uint256 id);
    error TransferFailed();

    /// @notice A deployment for proofs over `k` records, checked by `verifier_`, with the
    /// Poseidon contract of `k + 5` inputs, against the roots of `registry_`.
    constructor(IIssuerRoots registry_, IGroth16Verifier verifier_, IPoseidon poseidon_, uint256 k) {
        if (
            address(registry_) == address(0) || address(verifier_) == address(0) || k == 0 || k > 11
                || poseidon_.INPUTS() != k + 5
        ) revert BadSetup();
        registry = registry_;
        verifier = verifier_;
        poseidon = poseidon_;
        K = k;
    }

    /// @notice The challenge the deal's proof must be bound to:
    /// `keccak256(abi.encode(CHALLENGE_DOMAIN, chainid, this, id)) mod r`.
    function challengeOf(uint256 id) public view returns (uint256) {
        return uint256(keccak256(abi.encode(CHALLENGE_DOMAIN, block.chainid, address(this), id))) % R;
    }

    /// @notice Opens a deal escrowing `msg.value` for `exporter`, payable on a proof that the sum
    /// of `fieldName` (type `typeTag`) over K records registered by `issuer` is at least
    /// `threshold`, until `deadline` (Unix seconds, inclusive). Returns the deal id.
    function openDeal(
        address exporter,
        address issuer,
        uint256 fieldName,
        uint64 typeTag,
        uint64 threshold,
        uint64 deadline
    ) external payable returns (uint256 id) {
        if (msg.value == 0) revert NoEscrow();
        if (
            exporter == address(0) || issuer == address(0) || fieldName >= R || threshold == 0
                || threshold > uint64(type(int64).max)
        ) revert BadTerms();
        if (deadline <= block.timestamp) revert DeadlineInPast();
        id = ++dealCount;
        deals[id] = Deal({
            funder: msg.sender,
            deadline: deadline,
            status: Status.Open,
            exporter: exporter,
            threshold: threshold,
            issuer: issuer,
            typeTag: typeTag,
            fieldName: fieldName,
            escrow: msg.value
        });
        emit DealOpened(id, msg.sender, exporter, msg.value, threshold, deadline, challengeOf(id));
    }

    /// @notice The sum statement's public input for deal `id` and `roots` (what the proof must
    /// have been made for).
    function publicInput(uint256 id, bytes32[] calldata roots) public view returns (uint256) {
        Deal storage d = deals[id];
        if (d.status == Status.None) revert UnknownDeal(id);
        uint256 k = K;
        if (roots.length != k) revert WrongRootCount(k, roots.length);
        uint256[] memory e = new uint256[](k + 5);
        e[0] = SUM_DOMAIN | k;
        for (uint256 i = 0; i < k; ++i) {
            e[i + 1] = uint256(roots[i]);
        }
        e[k + 1] = d.fieldName;
        e[k + 2] = d.typeTag;
        e[k + 3] = d.threshold;
        e[k + 4] = challengeOf(id);
        return poseidon.hash(e);
    }

    /// @notice Pays deal `id`'s escrow to its exporter if `proof` (the generated verifier's
    /// word order) proves the sum statement over `roots`. Anyone may submit: the escrow goes to
    /// the exporter only.
    function claim(uint256 id, bytes32[] calldata roots, uint256[8] calldata proof) external {
        Deal storage d = deals[id];
        Status s = d.status;
        if (s == Status.None) revert UnknownDeal(id);
        if (s == Status.Paid) revert AlreadyPaid(id);
        if (s == Status.Refunded) revert AlreadyRefunded(id);
        if (block.timestamp > d.deadline) revert DeadlinePassed(id);
        uint256 k = K;
        if (roots.length != k) revert WrongRootCount(k, roots.length);
        address issuer = d.issuer;
        for (uint256 i = 0; i < k; ++i) {
            bytes32 r = roots[i];
            if (uint256(r) >= R) revert RootNotInField(r);
            for (uint256 j = 0; j < i; ++j) {
                if (roots[j] == r) revert RepeatedRoot(r);
            }
            if (registry.registeredAt(issuer, r) == 0) revert RootNotRegistered(r);
            if (registry.revoked(issuer, r)) revert RootRevoked(r);
        }
        uint256[] memory input = new uint256[](1);
        input[0] = publicInput(id, roots);
        if (!verifier.verifyProof(proof, input)) revert ProofRejected(id);
        // effects before the interaction
        d.status = Status.Paid;
        uint256 amount = d.escrow;
        address to = d.exporter;
        emit DealPaid(id, to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice Returns deal `id`'s escrow to its funder once its deadline has passed (anyone
    /// may call; the funds go to the funder only).
    function refund(uint256 id) external {
        Deal storage d = deals[id];
        Status s = d.status;
        if (s == Status.None) revert UnknownDeal(id);
        if (s == Status.Paid) revert AlreadyPaid(id);
        if (s == Status.Refunded) revert AlreadyRefunded(id);
        if (block.timestamp <= d.deadline) revert DeadlineNotReached(id);
        d.status = Status.Refunded;
        uint256 amount = d.escrow;
        address to = d.funder;
        emit DealRefunded(id, to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
